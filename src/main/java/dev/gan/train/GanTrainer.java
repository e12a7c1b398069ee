package dev.gan.train;

import dev.gan.config.Engine;
import dev.gan.config.GanConfig;
import dev.gan.config.LabelSource;
import dev.gan.engine.Engines;
import dev.gan.engine.TrainingStep;
import dev.gan.model.GanModels;
import dev.gan.model.InputGradientGraph;
import dev.gan.model.ModelSpec;
import dev.gan.model.NoiseKind;
import dev.gan.optim.GeneratorAverage;
import dev.gan.optim.ParameterUpdate;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Map;
import java.util.Random;

/**
 * One alternating Adam update of the discriminator, then of the generator, on the batch in its buffers: the
 * whole of a GAN iteration, as PyTorch-GAN's loop reads.
 *
 * <pre>
 *   fakes = G(z, y)                              generate
 *   D -= Adam(grad of BCE(D(x, y), 1-s) + BCE(D(fakes, y), 0))     updateDiscriminator
 *   G -= Adam(grad of BCE(D(fakes, y), 1))       updateGenerator (non-saturating; --loss minimax: -BCE(.., 0))
 *   average G                                    with --ema
 * </pre>
 *
 * <p>The passes are a {@link TrainingStep} chosen once, at construction, by {@link Engines}: DL4J's graph
 * methods or the passes written out. All use the buffers here and apply Adam through {@link ParameterUpdate}. Losses use DL4J's convention: errors are per example
 * and the update divides by the count of D's examples of one kind (the batch size over the pack), so the D
 * loss is mean over real + mean over fake, as in the reference.
 */
public final class GanTrainer {


    private final ComputationGraph generator;
    private final InputGradientGraph discriminator;
    private final ModelSpec spec;
    private final LabelSource labelSource;
    /** Images per D example (PacGAN); D sees batchSize / pack examples of each kind. */
    private final int packedBatch;
    private final NoiseSampler noise;
    private final Random labelRandom = new Random();
    private final TrainingStep passes;
    private final GeneratorAverage average;
    private double lastGeneratorLoss;

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

    /**
     * @param config        the run's tricks, batch size, seed and engine (the networks come built, for {@code spec})
     * @param discriminator built for {@code config}'s pack (see GanModels.discriminator)
     * @param average       the moving average of G to keep, or null for none
     */
    public GanTrainer(ComputationGraph generator, InputGradientGraph discriminator, ModelSpec spec, GanConfig config,
                      GeneratorAverage average) {
        GanConfig.Tricks tricks = config.tricks();
        int b = config.schedule().batchSize();
        int pack = tricks.pack();
        this.packedBatch = b / pack;
        this.generator = generator;
        this.discriminator = discriminator;
        this.spec = spec;
        this.labelSource = tricks.labelSource();
        this.noise = new NoiseSampler(spec.noise(), config.seed());
        this.average = average;
        dImages = Nd4j.create(DataType.FLOAT, 2L * b, spec.imageSize());
        dImagesPacked = packed(dImages, pack);
        dTargets = Nd4j.zeros(DataType.FLOAT, 2L * packedBatch, 1);
        dTargets.get(NDArrayIndex.interval(0, packedBatch), NDArrayIndex.all()).assign(1.0 - tricks.labelSmoothing());
        realImages = dImages.get(NDArrayIndex.interval(0, b), NDArrayIndex.all());
        fakeImages = dImages.get(NDArrayIndex.interval(b, 2 * b), NDArrayIndex.all());
        noiseForG = Nd4j.create(DataType.FLOAT, b, spec.noiseDim());
        if (spec.conditional()) {
            dLabels = Nd4j.create(DataType.FLOAT, 2L * b, spec.numClasses());
            realLabels = dLabels.get(NDArrayIndex.interval(0, b), NDArrayIndex.all());
            fakeLabels = dLabels.get(NDArrayIndex.interval(b, 2 * b), NDArrayIndex.all());
            dLabelsPacked = packed(dLabels, pack);
            fakeLabelsPacked = dLabelsPacked.get(NDArrayIndex.interval(packedBatch, 2 * packedBatch), NDArrayIndex.all());
        } else {
            dLabels = realLabels = fakeLabels = dLabelsPacked = fakeLabelsPacked = null;
        }
        ParameterUpdate generatorUpdate = ParameterUpdate.of(generator);
        ParameterUpdate discriminatorUpdate = ParameterUpdate.of(discriminator);
        this.passes = Engines.create(config, spec, generator, discriminator, generatorUpdate, discriminatorUpdate,
                Seeds.derive(config.seed(), Seeds.SPECTRAL_NORM, 0));
    }

    /**
     * How well D reads InfoGAN's code back at the last G step: the mean cross-entropy over the fakes (ln 10 = 2.30
     * is chance); NaN without --info-weight.
     */
    public double codeLoss() {
        return passes.codeLoss();
    }

    /** What the engine keeps besides the networks (see {@link TrainingStep#state()}), for a checkpoint. */
    public Map<String, float[]> engineState() {
        return passes.state();
    }

    /** Takes back a checkpoint's {@link #engineState()}. */
    public void restoreEngineState(Map<String, float[]> state) {
        passes.restore(state);
    }

    /** True when iterations run as a direct step computes them, false when through DL4J's graphs. */
    public boolean direct() {
        return passes.engine() == Engine.DIRECT;
    }

    /** A trainer with freshly initialised networks for {@code config}; weights depend only on the seed. */
    public static GanTrainer create(GanConfig config, ModelSpec spec) {
        GanConfig.Optimiser adam = config.optimiser();
        GanConfig.Model model = config.model();
        ComputationGraph generator = GanModels.generator(spec, adam.lrG(), adam.beta1(), adam.beta2(),
                Seeds.derive(config.seed(), Seeds.GENERATOR_INIT, 0), model.labelScale());
        InputGradientGraph discriminator = GanModels.discriminator(spec, adam.lrD(), adam.beta1(), adam.beta2(),
                Seeds.derive(config.seed(), Seeds.DISCRIMINATOR_INIT, 0), model.leakyRelu(), model.dropoutD(),
                config.tricks().pack(), model.labelScale(), config.tricks().infoWeight() > 0 ? NoiseKind.CATEGORIES : 0);
        return restore(config, spec, generator, discriminator, null);
    }

    /**
     * A trainer around existing networks, e.g. restored from a checkpoint. {@code averageParameters} restores
     * the moving average of G when the config asks for one (null: start it from G's parameters).
     */
    public static GanTrainer restore(GanConfig config, ModelSpec spec, ComputationGraph generator,
                                     InputGradientGraph discriminator, INDArray averageParameters) {
        GeneratorAverage average = config.tricks().ema() > 0 ? new GeneratorAverage(generator, config.tricks().ema(),
                averageParameters != null ? averageParameters : generator.params()) : null;
        return new GanTrainer(generator, discriminator, spec, config, average);
    }

    /** The moving average of G's parameters, or null when the run keeps none. */
    public GeneratorAverage average() {
        return average;
    }

    /** The generator to sample from: the moving average when the run keeps one, else the training generator. */
    public ComputationGraph samplingGenerator() {
        return average != null ? average.averagedGenerator() : generator;
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
        INDArray fakes = generateFakes();
        double[] d = discriminatorStep(iteration, epoch);
        double g = lastGeneratorLoss;
        if (updateGenerator) {
            g = lastGeneratorLoss = generatorStep(fakes, iteration, epoch);
            if (average != null) {
                average.update();
            }
        }
        generator.getConfiguration().setIterationCount(iteration + 1);
        discriminator.getConfiguration().setIterationCount(iteration + 1);
        return new IterationStats(d[0], g, d[1], d[2]);
    }

    /** Draws noise and the fakes' labels (the real batch's, as the reference, or uniform), and runs G on them. */
    INDArray generateFakes() {
        noise.fill(noiseForG);
        if (spec.conditional()) {
            if (labelSource == LabelSource.DATA) {
                fakeLabels.assign(realLabels);
            } else {
                randomOneHot(fakeLabels);
            }
        }
        return passes.generate(noiseForG, fakeLabels, fakeImages);
    }

    double[] discriminatorStep(int iteration, int epoch) {
        return passes.updateDiscriminator(dImagesPacked, dLabelsPacked, dTargets, iteration, epoch);
    }

    /** Needs G's activations from {@link #generateFakes()} of this iteration; D has been updated since. */
    double generatorStep(INDArray fakes, int iteration, int epoch) {
        return passes.updateGenerator(noiseForG, fakeLabels, fakes, fakeLabelsPacked, iteration, epoch);
    }

    /** {@code rows} as D sees them: pack consecutive rows side by side (a view when rows is contiguous). */
    private static INDArray packed(INDArray rows, int pack) {
        return pack == 1 ? rows : rows.reshape('c', rows.rows() / pack, rows.columns() * pack);
    }

    private void randomOneHot(INDArray target) {
        target.assign(0.0);
        for (int row = 0; row < target.rows(); row++) {
            target.putScalar(row, labelRandom.nextInt(spec.numClasses()), 1.0);
        }
    }
}
