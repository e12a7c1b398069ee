package dev.gan.train;

import dev.gan.data.ImageDataset;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/**
 * Serves a data set in shuffled mini-batches: the whole set lives in two ND4J arrays (pixels and one-hot
 * labels) and each batch is gathered with one native op into buffers the caller owns, so no batch allocates.
 * An incomplete last batch is dropped, as the reference's fixed-size batches do.
 */
public final class ShuffledBatches {

    private final INDArray images;
    private final INDArray oneHotLabels;
    private final int[] order;
    private final int[] batchRows;
    private final int batchSize;

    public ShuffledBatches(ImageDataset data, int batchSize) {
        if (batchSize > data.count()) {
            throw new IllegalArgumentException("batch size " + batchSize + " is larger than the data set ("
                    + data.count() + " images)");
        }
        this.images = Nd4j.create(data.pixels(), new long[] {data.count(), data.imageSize()}, 'c');
        this.oneHotLabels = oneHot(data);
        this.order = new int[data.count()];
        this.batchRows = new int[batchSize];
        this.batchSize = batchSize;
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
    }

    private static INDArray oneHot(ImageDataset data) {
        float[] values = new float[data.count() * data.numClasses()];
        for (int i = 0; i < data.count(); i++) {
            values[i * data.numClasses() + data.label(i)] = 1f;
        }
        return Nd4j.create(values, new long[] {data.count(), data.numClasses()}, 'c');
    }

    public int batchesPerEpoch() {
        return order.length / batchSize;
    }

    /** Starts an epoch: a fresh permutation that depends only on {@code seed} (Fisher-Yates over 0..n-1). */
    public void shuffle(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }

    /** Copies batch {@code index} of the current epoch into {@code imagesOut} and {@code labelsOut}. */
    public void fill(int index, INDArray imagesOut, INDArray labelsOut) {
        System.arraycopy(order, index * batchSize, batchRows, 0, batchSize);
        Nd4j.pullRows(images, imagesOut, 1, batchRows);
        if (labelsOut != null) {
            Nd4j.pullRows(oneHotLabels, labelsOut, 1, batchRows);
        }
    }
}
