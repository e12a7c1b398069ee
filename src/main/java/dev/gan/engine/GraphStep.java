package dev.gan.engine;

import dev.gan.config.Engine;
import dev.gan.model.GanModels;
import dev.gan.model.InputGradientGraph;
import dev.gan.optim.ParameterUpdate;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An iteration through DL4J's graph methods: any architecture (the DCGAN, dropout) trains this way.
 *
 * <p>G and D are separate graphs and nothing is ever copied between them. The D update is one forward and
 * backward pass of D over real and fake images stacked into one batch. The G update runs D forward on the same
 * fakes, backpropagates the loss through D with the loss gradient supplied as an external error, reads D's
 * gradient with respect to its image input, and backpropagates that into G. Only G's parameters and Adam state
 * move in the G update: D's gradient view is overwritten but never applied. This measured faster than a
 * combined G+D graph with frozen D layers, and keeps both models plain graphs on disk.
 */
final class GraphStep implements TrainingStep {

    private final ComputationGraph generator;
    private final InputGradientGraph discriminator;
    private final ParameterUpdate generatorUpdate;
    private final ParameterUpdate discriminatorUpdate;
    private final boolean conditional;
    private final AdversarialLoss loss;
    private final int pack;
    private final int packedBatch;

    GraphStep(ComputationGraph generator, InputGradientGraph discriminator, ParameterUpdate generatorUpdate,
              ParameterUpdate discriminatorUpdate, boolean conditional, AdversarialLoss loss, int pack, int packedBatch) {
        this.generator = generator;
        this.discriminator = discriminator;
        this.generatorUpdate = generatorUpdate;
        this.discriminatorUpdate = discriminatorUpdate;
        this.conditional = conditional;
        this.loss = loss;
        this.pack = pack;
        this.packedBatch = packedBatch;
    }

    @Override
    public Engine engine() {
        return Engine.GRAPH;
    }

    @Override
    public INDArray generate(INDArray noise, INDArray labels, INDArray fakes) {
        INDArray[] inputs = conditional ? new INDArray[] {noise, labels} : new INDArray[] {noise};
        INDArray fake = generator.feedForward(inputs, true, false).get(GanModels.G_OUT);
        fakes.assign(fake);
        return fake;
    }

    @Override
    public double[] updateDiscriminator(INDArray images, INDArray labels, INDArray targets, int iteration, int epoch) {
        INDArray[] inputs = conditional ? new INDArray[] {images, labels} : new INDArray[] {images};
        INDArray logits = discriminator.feedForward(inputs, true, false).get(GanModels.D_LOGIT);
        float[] errors = logits.toFloatVector();
        double[] stats = loss.discriminator(errors, targets.toFloatVector(), errors.length, packedBatch, errors);
        discriminatorUpdate.apply(discriminator.backpropParameters(column(errors)), iteration, epoch, packedBatch);
        return stats;
    }

    @Override
    public double updateGenerator(INDArray noise, INDArray labels, INDArray fakes, INDArray fakeLabelsPacked,
                                  int iteration, int epoch) {
        INDArray packedFake = pack == 1 ? fakes : fakes.reshape('c', fakes.rows() / pack, fakes.columns() * pack);
        INDArray[] inputs = conditional ? new INDArray[] {packedFake, fakeLabelsPacked} : new INDArray[] {packedFake};
        INDArray logits = discriminator.feedForward(inputs, true, false).get(GanModels.D_LOGIT);
        float[] errors = logits.toFloatVector();
        double gLoss = loss.generator(errors, errors.length, errors);
        // Backprop through D only to learn dLoss/dImage; D's own gradient is discarded, never applied.
        INDArray imageErrors = discriminator.backpropToInput(GanModels.IMAGE, column(errors));
        if (pack > 1) {
            imageErrors = imageErrors.reshape('c', imageErrors.rows() * pack, imageErrors.columns() / pack);
        }
        generatorUpdate.apply(generator.backpropGradient(imageErrors), iteration, epoch, packedBatch);
        return gLoss;
    }

    /** Per-row errors as the [rows, 1] array D's logit layer takes back. */
    private static INDArray column(float[] errors) {
        return Nd4j.createFromArray(errors).reshape(errors.length, 1);
    }
}
