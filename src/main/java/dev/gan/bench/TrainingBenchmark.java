package dev.gan.bench;

import dev.gan.config.GanConfig;
import dev.gan.data.ImageDataset;
import dev.gan.model.Architecture;
import dev.gan.model.MemoryBudget;
import dev.gan.model.ModelSpec;
import dev.gan.system.NativeGarbage;
import dev.gan.train.GanTrainer;
import dev.gan.train.ShuffledBatches;
import dev.gan.train.TrainingRun;
import dev.gan.util.ProcessMemory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.function.IntConsumer;

/**
 * Measures the training loop as {@code gan train} runs it (batch gathering, one D step, one G step) in
 * milliseconds per iteration: a warm-up first ({@link Warmup}), then several timed repetitions, reporting the median.
 * The data is synthetic: an MLP's speed does not depend on pixel values.
 */
public final class TrainingBenchmark {

    /**
     * Timings of one configuration; {@code msPerIteration} has one entry per repetition. {@code direct}: whether
     * gan's own passes ran, not DL4J's graph methods (asked for, they fall back to the graphs where they cannot run).
     */
    public record Result(boolean conditional, boolean direct, int batchSize, int iterationsPerRepeat,
                         double[] msPerIteration,
                         double flopsPerIteration, long heapBytes, long offHeapBytes, long residentMb,
                         Warmup.Done warmup) {

        /** Achieved GFLOP/s at the median speed (see {@link FlopCount} for what is counted). */
        public double gflops() {
            return flopsPerIteration / (medianMs() / 1000) / 1e9;
        }

        public double medianMs() {
            double[] sorted = msPerIteration.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        public double minMs() {
            return Arrays.stream(msPerIteration).min().orElse(Double.NaN);
        }

        public double maxMs() {
            return Arrays.stream(msPerIteration).max().orElse(Double.NaN);
        }

        /** Real images consumed per second at the median speed. */
        public double imagesPerSecond() {
            return batchSize * 1000.0 / medianMs();
        }
    }

    private TrainingBenchmark() {
    }

    /**
     * Refuses a configuration too large to benchmark (ModelTooLargeException), checked on the model's shape before
     * any synthetic image is made: an absurd --batch-size is refused with its figure, never met by an array too
     * large for the heap.
     */
    public static void check(GanConfig config) {
        ModelSpec spec = TrainingRun.modelSpec(config, syntheticData(1, config.seed()));
        MemoryBudget.requireForTraining(spec, config.schedule().batchSize(), config.tricks().pack(),
                config.tricks().ema() > 0);
        long images = syntheticImages(config);
        long heapBytes = images * spec.imageSize() * Float.BYTES;
        if (heapBytes > Runtime.getRuntime().maxMemory() / 2) {
            throw new dev.gan.model.ModelTooLargeException(String.format(java.util.Locale.ROOT, "batch size %d too "
                    + "large: its %d synthetic images need about %.1f GB of heap, more than half of the %.1f GB gan "
                    + "may use (GAN_OPTS=-Xmx...)", config.schedule().batchSize(), images, heapBytes / 1e9,
                    Runtime.getRuntime().maxMemory() / 1e9));
        }
    }

    /** Ten batches' worth of synthetic images, at least 1,000. */
    private static long syntheticImages(GanConfig config) {
        return Math.max(config.schedule().batchSize() * 10L, 1000);
    }

    public static Result measure(GanConfig config, Warmup warmup, int iterations, int repeats) {
        check(config);
        ImageDataset data = syntheticData((int) syntheticImages(config), config.seed());
        ModelSpec spec = TrainingRun.modelSpec(config, data);
        GanTrainer trainer = GanTrainer.create(config, spec);
        ShuffledBatches batches = new ShuffledBatches(data, config.schedule().batchSize());
        batches.shuffle(config.seed());
        int perEpoch = batches.batchesPerEpoch();
        NativeGarbage garbage = NativeGarbage.forTraining(config.model().arch() == Architecture.DCGAN, !trainer.direct());
        return timed(config.model().conditional(), trainer.direct(), config.schedule().batchSize(), i -> {
            batches.fill(i % perEpoch, trainer.realImages(), trainer.realLabels());
            trainer.step(i, 0);
            garbage.afterIteration(i + 1);
        }, warmup, iterations, repeats, () -> flops(trainer, config));
    }

    /**
     * Warms {@code iteration} up, then times {@code repeats} repetitions of {@code iterations} of it (iteration
     * indices going on from the warm-up's); the FLOPs are counted and the memory read after.
     */
    static Result timed(boolean conditional, boolean direct, int batchSize, IntConsumer iteration, Warmup warmup,
                        int iterations, int repeats, DoubleSupplier flopsPerIteration) {
        Warmup.Done warm = warmup.run(iteration);
        int done = warm.iterations();
        double[] ms = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                iteration.accept(done++);
            }
            ms[r] = (System.nanoTime() - start) / 1e6 / iterations;
        }
        Runtime runtime = Runtime.getRuntime();
        return new Result(conditional, direct, batchSize, iterations, ms, flopsPerIteration.getAsDouble(),
                runtime.totalMemory() - runtime.freeMemory(), offHeapBytes(), ProcessMemory.residentMegabytes(), warm);
    }

    /**
     * Resident memory outside the Java heap: ND4J's buffers, OpenBLAS, the JVM's own. ND4J M2.1 tracks only
     * workspace memory, so this is measured from the process (resident size minus the committed heap).
     */
    private static long offHeapBytes() {
        return Math.max(0, (ProcessMemory.residentMegabytes() << 20) - Runtime.getRuntime().totalMemory());
    }

    private static double flops(GanTrainer trainer, GanConfig config) {
        INDArray noise = Nd4j.zeros(DataType.FLOAT, 1, config.model().noiseDim());
        INDArray image = Nd4j.zeros(DataType.FLOAT, 1, trainer.realImages().columns());
        INDArray label = Nd4j.zeros(DataType.FLOAT, 1, ImageDataset.MNIST_CLASSES);
        INDArray[] gInput = config.model().conditional() ? new INDArray[] {noise, label} : new INDArray[] {noise};
        INDArray[] dInput = config.model().conditional() ? new INDArray[] {image, label} : new INDArray[] {image};
        return FlopCount.perIteration(trainer.generator(), trainer.discriminator(), gInput, dInput,
                config.schedule().batchSize());
    }

    static ImageDataset syntheticData(int count, long seed) {
        Random random = new Random(seed);
        float[] pixels = new float[count * 28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat();
        }
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) (i % ImageDataset.MNIST_CLASSES);
        }
        return new ImageDataset(count, 28, 28, ImageDataset.MNIST_CLASSES, pixels, labels);
    }
}
