package dev.gan.train;

import dev.gan.model.GanModels;
import dev.gan.model.InputGradientGraph;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

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
    private final LossKind loss;
    private final int pack;
    private final int packedBatch;

    GraphStep(ComputationGraph generator, InputGradientGraph discriminator, ParameterUpdate generatorUpdate,
              ParameterUpdate discriminatorUpdate, boolean conditional, LossKind loss, int pack, int packedBatch) {
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
        INDArray probabilities = Transforms.sigmoid(logits, true);
        // Sigmoid cross-entropy from logits: softplus(l) - t*l; its gradient is sigmoid(l) - t (any t in [0, 1]).
        double dLoss = softplus(logits).subi(logits.mul(targets)).sumNumber().doubleValue() / packedBatch;
        double dReal = probabilities.get(NDArrayIndex.interval(0, packedBatch), NDArrayIndex.all())
                .meanNumber().doubleValue();
        double dFake = probabilities.get(NDArrayIndex.interval(packedBatch, 2 * packedBatch), NDArrayIndex.all())
                .meanNumber().doubleValue();
        INDArray errors = probabilities.subi(targets);
        discriminatorUpdate.apply(discriminator.backpropParameters(errors), iteration, epoch, packedBatch);
        return new double[] {dLoss, dReal, dFake};
    }

    @Override
    public double updateGenerator(INDArray noise, INDArray labels, INDArray fakes, INDArray fakeLabelsPacked,
                                  int iteration, int epoch) {
        INDArray packedFake = pack == 1 ? fakes : fakes.reshape('c', fakes.rows() / pack, fakes.columns() * pack);
        INDArray[] inputs = conditional ? new INDArray[] {packedFake, fakeLabelsPacked} : new INDArray[] {packedFake};
        INDArray logits = discriminator.feedForward(inputs, true, false).get(GanModels.D_LOGIT);
        double gLoss;
        INDArray errors;
        if (loss == LossKind.BCE) {
            // Non-saturating: minimise -log sigmoid(l) = softplus(-l); gradient sigmoid(l) - 1.
            gLoss = softplus(logits.neg()).meanNumber().doubleValue();
            errors = Transforms.sigmoid(logits, true).subi(1.0);
        } else {
            // Saturating minimax: minimise log(1 - sigmoid(l)) = -softplus(l); gradient -sigmoid(l).
            gLoss = -softplus(logits).meanNumber().doubleValue();
            errors = Transforms.sigmoid(logits, true).negi();
        }
        // Backprop through D only to learn dLoss/dImage; D's own gradient is discarded, never applied.
        INDArray imageErrors = discriminator.backpropToInput(GanModels.IMAGE, errors);
        if (pack > 1) {
            imageErrors = imageErrors.reshape('c', imageErrors.rows() * pack, imageErrors.columns() / pack);
        }
        generatorUpdate.apply(generator.backpropGradient(imageErrors), iteration, epoch, packedBatch);
        return gLoss;
    }

    /**
     * log(1 + e^x) without overflow: max(x, 0) + log1p(e^-|x|). ND4J's softplus computes log(1 + e^x) directly,
     * which is infinite in float for x above about 88 - a confident D would read as a diverged loss.
     */
    static INDArray softplus(INDArray x) {
        INDArray tail = Transforms.log1p(Transforms.exp(Transforms.abs(x, true).negi(), false), false);
        return Transforms.relu(x, true).addi(tail);
    }
}
