package dev.gan.train;

import dev.gan.model.GanModels;
import dev.gan.model.InputGradientGraph;
import dev.gan.model.ModelSpec;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Random;

/**
 * One alternating Adam update of the discriminator, then of the generator, on the batch in its buffers.
 *
 * <p>Design: G and D are separate ComputationGraphs and nothing is ever copied between them. G runs forward
 * once per iteration. The D step is one forward/backward pass of D over real and fake images stacked into a
 * single 2B batch. The G step runs D forward on the same fakes, backpropagates the loss through D with the loss gradient supplied as
 * an external error, reads D's gradient with respect to its image input, and backpropagates that into G as
 * G's external error. Only G's updater and parameters move in the G step: D's gradient view is overwritten
 * but D's parameters and Adam state are untouched (and vice versa in the D step). This measured faster
 * than a combined G+D graph with frozen D layers, and keeps both models plain graphs on disk.
 *
 * <p>That is the graph engine. For the MLPs the default engine, {@link DirectMlpStep}, computes the same
 * three passes itself over the same graphs' memory (see {@link Engine}); the buffers, order of operations and
 * Adam step here are shared by both.
 *
 * <p>Losses use DL4J's convention: errors are per example and the update divides by the count of D's examples
 * of one kind (the batch size over the pack), so the D loss is mean over real + mean over fake, as in the
 * reference. {@link ParameterUpdate} applies Adam.
 */
public final class GanTrainer {

    private final ComputationGraph generator;
    private final InputGradientGraph discriminator;
    private final ModelSpec spec;
    private final LossKind loss;
    private final LabelSource labelSource;
    /** Images per D example (PacGAN); D sees batchSize / pack examples of each kind. */
    private final int pack;
    private final int packedBatch;
    private final NoiseSampler noise;
    private final Random labelRandom = new Random();
    private final ParameterUpdate generatorUpdate;
    private final ParameterUpdate discriminatorUpdate;
    /** The hand-written iteration for MLP graphs, or null: then DL4J's graph methods compute it. */
    private DirectMlpStep direct;
    private double lastGeneratorLoss;
    private GeneratorAverage average;

    // Reused buffers: rows 0..B-1 of the D batch are real, rows B..2B-1 fake. D reads them through packed
    // views (pack consecutive rows side by side, no copy), so its rows 0..B/pack-1 are real.
    private final INDArray dImages;
    private final INDArray dLabels;
    private final INDArray dImagesPacked;
    private final INDArray dLabelsPacked;
    private final INDArray fakeLabelsPacked;
    private final INDArray dTargets;
    private final INDArray realImages;
    private final INDArray realLabels;
    private final INDArray fakeImages;
    private final INDArray fakeLabels;
    private final INDArray noiseForG;

    public GanTrainer(ComputationGraph generator, InputGradientGraph discriminator, ModelSpec spec,
                      LossKind loss, LabelSource labelSource, int batchSize, long seed) {
        this(generator, discriminator, spec, loss, labelSource, batchSize, 1, seed);
    }

    /** {@code discriminator} must have been built for {@code pack} (see GanModels.discriminator). */
    public GanTrainer(ComputationGraph generator, InputGradientGraph discriminator, ModelSpec spec,
                      LossKind loss, LabelSource labelSource, int batchSize, int pack, long seed) {
        if (pack < 1 || batchSize % pack != 0) {
            throw new IllegalArgumentException("pack " + pack + " must divide the batch size " + batchSize);
        }
        this.pack = pack;
        this.packedBatch = batchSize / pack;
        this.generator = generator;
        this.discriminator = discriminator;
        this.generatorUpdate = ParameterUpdate.of(generator);
        this.discriminatorUpdate = ParameterUpdate.of(discriminator);
        this.spec = spec;
        this.loss = loss;
        this.labelSource = labelSource;
        this.noise = new NoiseSampler(spec.noise(), seed);
        int b = batchSize;
        dImages = Nd4j.create(DataType.FLOAT, 2L * b, spec.imageSize());
        dImagesPacked = packed(dImages);
        dTargets = Nd4j.zeros(DataType.FLOAT, 2L * packedBatch, 1);
        dTargets.get(NDArrayIndex.interval(0, packedBatch), NDArrayIndex.all()).assign(1.0);
        realImages = dImages.get(NDArrayIndex.interval(0, b), NDArrayIndex.all());
        fakeImages = dImages.get(NDArrayIndex.interval(b, 2 * b), NDArrayIndex.all());
        noiseForG = Nd4j.create(DataType.FLOAT, b, spec.noiseDim());
        if (spec.conditional()) {
            dLabels = Nd4j.create(DataType.FLOAT, 2L * b, spec.numClasses());
            realLabels = dLabels.get(NDArrayIndex.interval(0, b), NDArrayIndex.all());
            fakeLabels = dLabels.get(NDArrayIndex.interval(b, 2 * b), NDArrayIndex.all());
            dLabelsPacked = packed(dLabels);
            fakeLabelsPacked = dLabelsPacked.get(NDArrayIndex.interval(packedBatch, 2 * packedBatch), NDArrayIndex.all());
        } else {
            dLabels = realLabels = fakeLabels = dLabelsPacked = fakeLabelsPacked = null;
        }
        direct = DirectMlpStep.forGraphs(generator, discriminator, generatorUpdate, discriminatorUpdate, b, pack,
                spec.noiseDim(), spec.imageSize(), spec.numClasses(), spec.conditional());
    }

    /** Computes iterations with DL4J's graph methods even where the direct MLP step applies ({@link Engine#GRAPH}). */
    GanTrainer useGraphPath() {
        direct = null;
        return this;
    }

    /** True when iterations run as {@link DirectMlpStep} computes them, false when through DL4J's graphs. */
    public boolean direct() {
        return direct != null;
    }

    /** A trainer with freshly initialised networks for {@code config}; weights depend only on the seed. */
    public static GanTrainer create(GanConfig config, ModelSpec spec) {
        ComputationGraph generator = GanModels.generator(spec, config.lrG(), config.beta1(), config.beta2(),
                Seeds.derive(config.seed(), Seeds.GENERATOR_INIT, 0), config.labelScale());
        InputGradientGraph discriminator = GanModels.discriminator(spec, config.lrD(), config.beta1(),
                config.beta2(), Seeds.derive(config.seed(), Seeds.DISCRIMINATOR_INIT, 0), config.leakyRelu(),
                config.dropoutD(), config.pack(), config.labelScale());
        return restore(config, spec, generator, discriminator, null);
    }

    /**
     * A trainer around existing networks, e.g. restored from a checkpoint. {@code averageParameters} restores
     * the moving average of G when the config asks for one (null: start it from G's parameters).
     */
    public static GanTrainer restore(GanConfig config, ModelSpec spec, ComputationGraph generator,
                                     InputGradientGraph discriminator, INDArray averageParameters) {
        GanTrainer trainer = new GanTrainer(generator, discriminator, spec, config.loss(), config.labelSource(),
                config.batchSize(), config.pack(), config.seed());
        trainer.smoothRealLabels(config.labelSmoothing());
        if (config.engine() == Engine.GRAPH) {
            trainer.useGraphPath();
        }
        if (config.ema() > 0) {
            trainer.average = new GeneratorAverage(generator, config.ema(),
                    averageParameters != null ? averageParameters : generator.params());
        }
        return trainer;
    }

    /** The moving average of G's parameters, or null when the run keeps none. */
    public GeneratorAverage average() {
        return average;
    }

    /** The generator to sample from: the moving average when the run keeps one, else the training generator. */
    public ComputationGraph samplingGenerator() {
        return average != null ? average.averagedGenerator() : generator;
    }

    /** One-sided label smoothing: D's target for real images becomes 1 - {@code amount}. */
    public void smoothRealLabels(double amount) {
        dTargets.get(NDArrayIndex.interval(0, packedBatch), NDArrayIndex.all()).assign(1.0 - amount);
    }

    /** Where the next real batch goes: fill before calling {@link #step}. */
    public INDArray realImages() {
        return realImages;
    }

    /** Where the next batch's one-hot labels go (null for a plain GAN). */
    public INDArray realLabels() {
        return realLabels;
    }

    /** Reseeds noise and random labels: called at each epoch start with a seed derived from (seed, epoch). */
    public void reseed(long noiseSeed, long labelSeed) {
        noise.reseed(noiseSeed);
        labelRandom.setSeed(labelSeed);
    }

    public ComputationGraph generator() {
        return generator;
    }

    public InputGradientGraph discriminator() {
        return discriminator;
    }

    /**
     * One D update then one G update; {@code iteration} counts completed iterations (Adam bias correction).
     * As in the reference scripts, both updates use the same noise batch: G's forward pass is run once and
     * its output serves as D's fake batch and, after D's update, as the input of G's update.
     */
    public IterationStats step(int iteration, int epoch) {
        return step(iteration, epoch, true);
    }

    /** As {@link #step(int, int)}; without {@code updateGenerator} only D learns (for a D:G step ratio above 1). */
    public IterationStats step(int iteration, int epoch, boolean updateGenerator) {
        INDArray fake = generateFakes();
        double[] d = discriminatorStep(iteration, epoch);
        double g = lastGeneratorLoss;
        if (updateGenerator) {
            g = lastGeneratorLoss = generatorStep(fake, iteration, epoch);
            if (average != null) {
                average.update();
            }
        }
        generator.getConfiguration().setIterationCount(iteration + 1);
        discriminator.getConfiguration().setIterationCount(iteration + 1);
        return new IterationStats(d[0], g, d[1], d[2]);
    }

    /** Draws noise (and fake labels), runs G in training mode, and puts its output in D's fake half. */
    INDArray generateFakes() {
        noise.fill(noiseForG);
        if (spec.conditional()) {
            if (labelSource == LabelSource.DATA) {
                fakeLabels.assign(realLabels);
            } else {
                randomOneHot(fakeLabels);
            }
        }
        if (direct != null) {
            direct.generate(noiseForG, fakeLabels, fakeImages);
            return fakeImages;
        }
        INDArray[] gInputs = spec.conditional() ? new INDArray[] {noiseForG, fakeLabels} : new INDArray[] {noiseForG};
        INDArray fake = generator.feedForward(gInputs, true, false).get(GanModels.G_OUT);
        fakeImages.assign(fake);
        return fake;
    }

    double[] discriminatorStep(int iteration, int epoch) {
        if (direct != null) {
            double[] stats = direct.discriminatorGradient(dImagesPacked, dLabelsPacked, dTargets);
            discriminatorUpdate.applyFromView(iteration, epoch, packedBatch);
            return stats;
        }
        INDArray[] inputs = spec.conditional()
                ? new INDArray[] {dImagesPacked, dLabelsPacked} : new INDArray[] {dImagesPacked};
        INDArray logits = discriminator.feedForward(inputs, true, false).get(GanModels.D_LOGIT);
        INDArray probabilities = Transforms.sigmoid(logits, true);
        // Sigmoid cross-entropy from logits: softplus(l) - t*l; its gradient is sigmoid(l) - t (any t in [0, 1]).
        double dLoss = softplus(logits).subi(logits.mul(dTargets)).sumNumber().doubleValue()
                / packedBatch;
        double dReal = probabilities.get(NDArrayIndex.interval(0, packedBatch), NDArrayIndex.all())
                .meanNumber().doubleValue();
        double dFake = probabilities.get(NDArrayIndex.interval(packedBatch, 2 * packedBatch), NDArrayIndex.all())
                .meanNumber().doubleValue();
        INDArray errors = probabilities.subi(dTargets);
        discriminatorUpdate.apply(discriminator.backpropParameters(errors), iteration, epoch, packedBatch);
        return new double[] {dLoss, dReal, dFake};
    }

    /** Needs G's activations from {@link #generateFakes()} of this iteration; D has been updated since. */
    double generatorStep(INDArray fake, int iteration, int epoch) {
        if (direct != null) {
            double gLoss = direct.generatorGradient(noiseForG, fakeLabels, fake, fakeLabelsPacked, loss);
            generatorUpdate.applyFromView(iteration, epoch, packedBatch);
            return gLoss;
        }
        INDArray packedFake = packed(fake);
        INDArray[] dInputs = spec.conditional()
                ? new INDArray[] {packedFake, fakeLabelsPacked} : new INDArray[] {packedFake};
        INDArray logits = discriminator.feedForward(dInputs, true, false).get(GanModels.D_LOGIT);
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
        INDArray imageErrors = unpacked(discriminator.backpropToInput(GanModels.IMAGE, errors));
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

    /** {@code rows} as D sees them: pack consecutive rows side by side (a view when rows is contiguous). */
    private INDArray packed(INDArray rows) {
        return pack == 1 ? rows : rows.reshape('c', rows.rows() / pack, rows.columns() * pack);
    }

    private INDArray unpacked(INDArray packedRows) {
        return pack == 1 ? packedRows : packedRows.reshape('c', packedRows.rows() * pack, packedRows.columns() / pack);
    }

    private void randomOneHot(INDArray target) {
        target.assign(0.0);
        for (int row = 0; row < target.rows(); row++) {
            target.putScalar(row, labelRandom.nextInt(spec.numClasses()), 1.0);
        }
    }
}
