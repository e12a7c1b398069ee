package dev.gan.bench;

import dev.gan.data.ImageDataset;
import dev.gan.eval.ClassifierStep;
import dev.gan.eval.DigitClassifier;
import dev.gan.model.ModelTooLargeException;
import dev.gan.system.NativeGarbage;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measures the digit classifier's training step (the LeNet {@code gan eval} judges with) as
 * {@code gan classifier train} runs it: a batch copied out of the data, one Adam step, in milliseconds per
 * iteration after a warm-up, the median of several repetitions. The data is synthetic, as in
 * {@link TrainingBenchmark}: the step's speed does not depend on pixel values.
 */
public final class ClassifierBenchmark {

    /** The batch size {@code gan classifier train} uses. */
    public static final int CLASSIFIER_BATCH = 64;
    /**
     * Working memory of the step per image: the passes' activations and their gradients and the convolutions'
     * patch matrices, about 100,000 floats for a 28x28 digit.
     */
    private static final long BYTES_PER_IMAGE = 400_000;
    private static final int SIZE = 28;

    private ClassifierBenchmark() {
    }

    /** Refuses a batch too large for the heap (ModelTooLargeException), before any array is made. */
    public static void check(int batch) {
        long bytes = batch * (BYTES_PER_IMAGE + 10L * SIZE * SIZE * Float.BYTES);
        if (bytes > Runtime.getRuntime().maxMemory() / 2) {
            throw new ModelTooLargeException(String.format(java.util.Locale.ROOT, "batch size %d too large: the "
                    + "classifier step's arrays need about %.1f GB of heap, more than half of the %.1f GB gan may use "
                    + "(GAN_OPTS=-Xmx...)", batch, bytes / 1e9, Runtime.getRuntime().maxMemory() / 1e9));
        }
    }

    /** Times {@code direct} (gan's own passes) or DL4J's fit at {@code batch} images a step. */
    public static TrainingBenchmark.Result measure(boolean direct, int batch, long seed, Warmup warmup,
                                                   int iterations, int repeats) {
        check(batch);
        ImageDataset data = TrainingBenchmark.syntheticData(Math.max(batch * 10, 1000), seed);
        DigitClassifier classifier = DigitClassifier.create(SIZE, SIZE, ImageDataset.MNIST_CLASSES, seed);
        ClassifierStep step = classifier.step(batch, direct);
        int size = data.imageSize();
        int perEpoch = data.count() / batch;
        float[] pixels = new float[batch * size];
        int[] labels = new int[batch];
        NativeGarbage garbage = NativeGarbage.forTraining(true, !step.direct());
        return TrainingBenchmark.timed(false, step.direct(), batch, i -> {
            int first = (i % perEpoch) * batch;
            System.arraycopy(data.pixels(), first * size, pixels, 0, batch * size);
            for (int j = 0; j < batch; j++) {
                labels[j] = data.label(first + j);
            }
            step.fit(pixels, labels, 0);
            garbage.afterIteration(i + 1);
        }, warmup, iterations, repeats, () -> flops(classifier, batch));
    }

    /**
     * FLOPs of a step, counted as {@link FlopCount} counts the GANs': the forward pass's multiply-adds and the
     * backward pass's two products per layer, 3 forward passes a batch.
     */
    private static double flops(DigitClassifier classifier, int batch) {
        INDArray one = Nd4j.zeros(DataType.FLOAT, 1, (long) SIZE * SIZE);
        return 3 * batch * FlopCount.forwardPerExample(classifier.graph(), new INDArray[] {one});
    }
}
