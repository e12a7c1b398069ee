package dev.gan.model;

import org.bytedeco.javacpp.Pointer;

import java.util.Locale;

/**
 * What a model needs against what gan may use. Weights and activations live in native memory, which JavaCPP
 * caps at {@code org.bytedeco.javacpp.maxbytes} (the launcher sets 3 GB); past the cap an allocation fails deep
 * in native code, and past the machine's memory the kernel kills the process. Checking the estimate first
 * turns both into one line that names the figure.
 */
public final class MemoryBudget {

    private static final double FLOAT_BYTES = 4;
    /** Two to the 31st: arrays are indexed by int in DL4J and in gan's own loops. */
    private static final double MAX_ELEMENTS = Integer.MAX_VALUE;

    private MemoryBudget() {
    }

    /** Bytes of native memory gan may use: JavaCPP's cap, else the machine's memory. */
    public static long limit() {
        long cap = Pointer.maxBytes();
        return cap > 0 ? cap : Pointer.totalPhysicalBytes();
    }

    /**
     * Bytes to train a spec at this batch size: four copies of every parameter (value, gradient, Adam's two
     * moments), the moving average of G and a checkpoint's serialised copy, and for each example G's values
     * and D's, three times over (output, pre-activation, gradient), with D run on the real and fake examples in
     * its step and on the fakes again in G's.
     */
    public static double trainingBytes(ModelSpec spec, int batchSize, int pack, boolean average) {
        ModelSize size = ModelSize.of(spec, pack);
        double parameters = 4 * (size.generatorParameters() + size.discriminatorParameters())
                + (average ? size.generatorParameters() : 0)
                + Math.max(size.generatorParameters(), size.discriminatorParameters());
        double packed = (double) batchSize / pack;
        double values = 3 * batchSize * size.generatorValues() + 3 * 3 * packed * size.discriminatorValues();
        return FLOAT_BYTES * (parameters + values);
    }

    /** Bytes to run G forward on {@code batchSize} noise vectors (sampling, evaluation). */
    public static double samplingBytes(ModelSpec spec, int batchSize) {
        ModelSize size = ModelSize.of(spec, 1);
        return FLOAT_BYTES * (size.generatorParameters() + 2.0 * batchSize * size.generatorValues());
    }

    /** Refuses a spec to train whose estimate exceeds {@link #limit()}, or whose arrays outgrow int indices. */
    public static void requireForTraining(ModelSpec spec, int batchSize, int pack, boolean average) {
        ModelSize size = ModelSize.of(spec, pack);
        requireIndexable(spec, size, batchSize);
        require(trainingBytes(spec, batchSize, pack, average), String.format(Locale.ROOT,
                "training it (G %s and D %s parameters, batch %d)", count(size.generatorParameters()),
                count(size.discriminatorParameters()), batchSize));
    }

    /** Refuses sampling from a spec in batches of {@code batchSize} beyond the budget. */
    public static void requireForSampling(ModelSpec spec, int batchSize) {
        ModelSize size = ModelSize.of(spec, 1);
        requireIndexable(spec, size, batchSize);
        require(samplingBytes(spec, batchSize), String.format(Locale.ROOT,
                "sampling from it (G %s parameters, batch %d)", count(size.generatorParameters()), batchSize));
    }

    private static void requireIndexable(ModelSpec spec, ModelSize size, int batchSize) {
        double perBatch = batchSize * Math.max(size.generatorValues(), size.discriminatorValues());
        if (size.largestArray() >= MAX_ELEMENTS) {
            throw new ModelTooLargeException(String.format(Locale.ROOT, "model too large: an array of it would hold "
                    + "%s numbers, more than the 2^31 an array can index (hidden %d, noise size %d); make them smaller",
                    count(size.largestArray()), spec.hidden(), spec.noiseDim()));
        }
        if (perBatch >= MAX_ELEMENTS) {
            throw new ModelTooLargeException(String.format(Locale.ROOT, "batch too large: a batch of %d would hold "
                    + "%s numbers in one array, more than the 2^31 an array can index; make --batch-size smaller",
                    batchSize, count(perBatch)));
        }
    }

    private static void require(double bytes, String what) {
        long limit = limit();
        if (bytes > limit) {
            throw new ModelTooLargeException(String.format(Locale.ROOT, "model too large: %s needs about %s of "
                    + "memory, more than the %s gan may use (make --hidden, --noise-dim or --batch-size smaller, or "
                    + "raise the cap: GAN_OPTS=-Dorg.bytedeco.javacpp.maxbytes=...)", what, gigabytes(bytes),
                    gigabytes(limit)));
        }
    }

    private static String gigabytes(double bytes) {
        return bytes >= 1e9 ? String.format(Locale.ROOT, "%.1f GB", bytes / 1e9)
                : String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
    }

    private static String count(double n) {
        return n >= 1e6 ? String.format(Locale.ROOT, "%.3g", n) : String.format(Locale.ROOT, "%.0f", n);
    }
}
