package dev.gan.train;

import dev.gan.data.DatasetName;
import dev.gan.data.Split;
import dev.gan.model.Architecture;
import dev.gan.model.NoiseKind;
import dev.gan.model.WeightInitKind;

import java.nio.file.Path;

/**
 * Everything that defines a training run, resolved: the command line builds one, the trainer runs it,
 * and {@code config.json} records it. Defaults are the reference tutorial's: noise 128, hidden 256,
 * batch 100, 100 epochs; plain GAN: N(0,1) noise, N(0, 0.01) weights, Adam 2e-4; cGAN: U(-1,1) noise,
 * Xavier weights, Adam 1e-3.
 */
public record GanConfig(
        Architecture arch,
        boolean conditional,
        int epochs,
        int batchSize,
        int hidden,
        int noiseDim,
        double lrD,
        double lrG,
        double beta1,
        double beta2,
        long seed,
        LossKind loss,
        NoiseKind noise,
        WeightInitKind weightInit,
        LabelSource labelSource,
        int sampleEvery,
        int checkpointEvery,
        int sampleScale,
        int evalEvery,
        String recipe,
        double leakyRelu,
        double dropoutD,
        double labelSmoothing,
        int dSteps,
        double ema,
        int pack,
        double labelScale,
        DatasetName dataset,
        Path dataDir,
        Split split,
        int limit,
        Engine engine) {

    public static final long DEFAULT_SEED = 42;
    /** The reference tutorial's sizes and schedule: the defaults, named once for the builder and the help. */
    public static final int DEFAULT_EPOCHS = 100;
    public static final int DEFAULT_BATCH_SIZE = 100;
    public static final int DEFAULT_HIDDEN = 256;
    public static final int DEFAULT_NOISE_DIM = 128;
    public static final int DEFAULT_SAMPLE_EVERY = 10;
    public static final int DEFAULT_CHECKPOINT_EVERY = 10;
    public static final int DEFAULT_SAMPLE_SCALE = 2;
    /** Largest pixel enlargement of the sample grids (a 10x10 grid of 28x28 digits is then 8,969 pixels wide). */
    public static final int MAX_SAMPLE_SCALE = 32;
    /** The DCGAN's default width: channels of G's first feature map and D's last. */
    public static final int DCGAN_CHANNELS = 64;
    /** Images per D example in the plain GAN's improved recipe. */
    public static final int IMPROVED_PLAIN_PACK = 4;
    /** Hidden units of the MLP plain GAN's improved recipe. */
    public static final int IMPROVED_PLAIN_HIDDEN = 1024;
    /** Adam learning rate of both networks in the MLP plain GAN's improved recipe. */
    public static final double IMPROVED_PLAIN_LEARNING_RATE = 2e-3;
    /** One-sided label smoothing of the MLP plain GAN's improved recipe. */
    public static final double IMPROVED_PLAIN_LABEL_SMOOTHING = 0.2;
    /** Size of z in the MLP plain GAN's improved recipe (the reference's 128 measured worse). */
    public static final int IMPROVED_PLAIN_NOISE_DIM = 32;
    /** Hidden units of the MLP cGAN's improved recipe. */
    public static final int IMPROVED_CONDITIONAL_HIDDEN = 768;
    /** Adam beta2 of both MLPs' improved recipe (DL4J's and the references' default is 0.999). */
    public static final double IMPROVED_MLP_BETA2 = 0.99;

    public GanConfig {
        if (arch == null) {
            arch = Architecture.MLP; // config.json written before --arch existed
        }
        if (pack == 0) {
            pack = 1; // config.json written before --pack existed
        }
        if (labelScale == 0) {
            labelScale = 1; // config.json written before --label-scale existed
        }
        if (dSteps == 0) {
            dSteps = 1; // config.json written before --d-steps existed
        }
        if (engine == null) {
            // config.json written before --engine existed: that run trained through the graphs, and resuming it
            // the same way keeps it identical to an uninterrupted run. (Builders always set an engine.)
            engine = Engine.GRAPH;
        }
        if (!(labelScale > 0) || Double.isInfinite(labelScale)) {
            throw new IllegalArgumentException("label-scale must be positive, got " + labelScale);
        }
        requirePositive("epochs", epochs);
        requirePositive("batch-size", batchSize);
        requirePositive("hidden", hidden);
        requirePositive("noise-dim", noiseDim);
        requirePositive("sample-every", sampleEvery);
        requirePositive("checkpoint-every", checkpointEvery);
        requirePositive("sample-scale", sampleScale);
        if (sampleScale > MAX_SAMPLE_SCALE) {
            throw new IllegalArgumentException("sample-scale must be at most " + MAX_SAMPLE_SCALE + ", got " + sampleScale);
        }
        if (!(lrD > 0) || !(lrG > 0) || Double.isInfinite(lrD) || Double.isInfinite(lrG)) {
            throw new IllegalArgumentException("learning rates must be positive and finite");
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta1 and beta2 must be in [0, 1)");
        }
        if (!(leakyRelu >= 0 && leakyRelu < 1)) {
            throw new IllegalArgumentException("leaky-relu slope must be in [0, 1), got " + leakyRelu);
        }
        if (!(dropoutD >= 0 && dropoutD < 1)) {
            throw new IllegalArgumentException("dropout-d must be in [0, 1), got " + dropoutD);
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 0.5)) {
            throw new IllegalArgumentException("label-smoothing must be in [0, 0.5), got " + labelSmoothing);
        }
        requirePositive("d-steps", dSteps);
        if (batchSize % pack != 0) {
            throw new IllegalArgumentException("pack must divide the batch size " + batchSize + ", got " + pack);
        }
        if (!(ema >= 0 && ema < 1)) {
            throw new IllegalArgumentException("ema must be in [0, 1) (0 = off), got " + ema);
        }
        if (evalEvery < 0) {
            throw new IllegalArgumentException("eval-every must be positive (or 0 for off), got " + evalEvery);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be positive (or 0 for all)");
        }
    }

    private static void requirePositive(String option, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(option + " must be positive, got " + value);
        }
    }

    /** The reference tutorial's settings for the plain or the conditional GAN, on the MNIST train split. */
    public static Builder reference(boolean conditional) {
        Builder b = new Builder();
        b.conditional = conditional;
        b.lrD = conditional ? 1e-3 : 2e-4;
        b.lrG = b.lrD;
        b.noise = conditional ? NoiseKind.UNIFORM : NoiseKind.GAUSSIAN;
        b.weightInit = conditional ? WeightInitKind.XAVIER : WeightInitKind.NORMAL;
        return b;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.arch = arch;
        b.conditional = conditional;
        b.epochs = epochs;
        b.batchSize = batchSize;
        b.hidden = hidden;
        b.noiseDim = noiseDim;
        b.lrD = lrD;
        b.lrG = lrG;
        b.beta1 = beta1;
        b.beta2 = beta2;
        b.seed = seed;
        b.loss = loss;
        b.noise = noise;
        b.weightInit = weightInit;
        b.labelSource = labelSource;
        b.sampleEvery = sampleEvery;
        b.checkpointEvery = checkpointEvery;
        b.sampleScale = sampleScale;
        b.evalEvery = evalEvery;
        b.recipe = recipe;
        b.leakyRelu = leakyRelu;
        b.dropoutD = dropoutD;
        b.labelSmoothing = labelSmoothing;
        b.dSteps = dSteps;
        b.ema = ema;
        b.pack = pack;
        b.labelScale = labelScale;
        b.dataset = dataset;
        b.dataDir = dataDir;
        b.split = split;
        b.limit = limit;
        b.engine = engine;
        return b;
    }

    /** Mutable staging for a GanConfig; every field starts at the reference default. */
    public static final class Builder {
        private Architecture arch = Architecture.MLP;
        private boolean conditional;
        private int epochs = DEFAULT_EPOCHS;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int hidden = DEFAULT_HIDDEN;
        private int noiseDim = DEFAULT_NOISE_DIM;
        private double lrD = 2e-4;
        private double lrG = 2e-4;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private long seed = DEFAULT_SEED;
        private LossKind loss = LossKind.BCE;
        private NoiseKind noise = NoiseKind.GAUSSIAN;
        private WeightInitKind weightInit = WeightInitKind.NORMAL;
        private LabelSource labelSource = LabelSource.DATA;
        private int sampleEvery = DEFAULT_SAMPLE_EVERY;
        private int checkpointEvery = DEFAULT_CHECKPOINT_EVERY;
        private int sampleScale = DEFAULT_SAMPLE_SCALE;
        private int evalEvery;
        private String recipe = "reference";
        private double leakyRelu;
        private double dropoutD;
        private double labelSmoothing;
        private int dSteps = 1;
        private double ema;
        private int pack = 1;
        private boolean packFromRecipe;
        private double labelScale = 1;
        private DatasetName dataset = DatasetName.MNIST;
        private Path dataDir;
        private Split split = Split.TRAIN;
        private int limit;
        private Engine engine = Engine.DIRECT;

        /**
         * Chooses the architecture. DCGAN brings the DCGAN paper's training settings (Adam 2e-4 with beta1 0.5,
         * Xavier weights; LeakyReLU 0.2 in D is built in) and {@link #DCGAN_CHANNELS} as its width; explicit
         * options set afterwards still win.
         */
        public Builder arch(Architecture v) {
            arch = v;
            if (v == Architecture.DCGAN) {
                hidden = DCGAN_CHANNELS;
                lrD = lrG = 2e-4;
                beta1 = 0.5;
                weightInit = WeightInitKind.XAVIER;
            }
            return this;
        }
        public Builder epochs(int v) { epochs = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder hidden(int v) { hidden = v; return this; }
        public Builder noiseDim(int v) { noiseDim = v; return this; }
        public Builder lrD(double v) { lrD = v; return this; }
        public Builder lrG(double v) { lrG = v; return this; }
        public Builder beta1(double v) { beta1 = v; return this; }
        public Builder beta2(double v) { beta2 = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder loss(LossKind v) { loss = v; return this; }
        public Builder noise(NoiseKind v) { noise = v; return this; }
        public Builder weightInit(WeightInitKind v) { weightInit = v; return this; }
        public Builder labelSource(LabelSource v) { labelSource = v; return this; }
        public Builder sampleEvery(int v) { sampleEvery = v; return this; }
        public Builder checkpointEvery(int v) { checkpointEvery = v; return this; }
        public Builder sampleScale(int v) { sampleScale = v; return this; }
        public Builder evalEvery(int v) { evalEvery = v; return this; }
        public Builder leakyRelu(double v) { leakyRelu = v; return this; }
        public Builder dropoutD(double v) { dropoutD = v; return this; }
        public Builder labelSmoothing(double v) { labelSmoothing = v; return this; }
        public Builder dSteps(int v) { dSteps = v; return this; }
        public Builder ema(double v) { ema = v; return this; }
        public Builder labelScale(double v) {
            if (v == 0) {
                throw new IllegalArgumentException("label-scale must be positive, got 0"); // 0 means "not recorded"
            }
            labelScale = v;
            return this;
        }
        public Builder pack(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("pack must be positive, got " + v); // 0 means "not recorded"
            }
            pack = v;
            packFromRecipe = false;
            return this;
        }

        /**
         * Applies a recipe's settings (explicit options set afterwards still win): a version such as
         * {@code improved-10}, or {@code improved}, the newest. The config records the version (see {@link Recipe}).
         */
        public Builder recipe(String name) {
            Recipe chosen = Recipe.named(name);
            chosen.applyTo(this);
            recipe = chosen.id();
            return this;
        }

        boolean conditional() {
            return conditional;
        }

        Architecture architecture() {
            return arch;
        }

        /** A pack a recipe chose: it must divide the batch size unless --pack is given explicitly (see build). */
        Builder packFromRecipe(int v) {
            pack = v;
            packFromRecipe = true;
            return this;
        }

        public Builder dataset(DatasetName v) { dataset = v; return this; }
        public Builder dataDir(Path v) { dataDir = v; return this; }
        public Builder split(Split v) { split = v; return this; }
        public Builder limit(int v) { limit = v; return this; }
        public Builder engine(Engine v) { engine = v; return this; }

        public GanConfig build() {
            if (packFromRecipe && batchSize % pack != 0) {
                throw new IllegalArgumentException("--recipe " + recipe + " packs " + pack + " images per D example, "
                        + "which must divide the batch size " + batchSize + ": give --pack (e.g. 1) explicitly");
            }
            return new GanConfig(arch, conditional, epochs, batchSize, hidden, noiseDim, lrD, lrG, beta1, beta2, seed,
                    loss, noise, weightInit, labelSource, sampleEvery, checkpointEvery, sampleScale, evalEvery, recipe,
                    leakyRelu, dropoutD, labelSmoothing, dSteps, ema, pack, labelScale, dataset,
                    dataDir, split, limit, engine);
        }
    }
}
