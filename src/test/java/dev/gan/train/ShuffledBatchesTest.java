package dev.gan.train;

import dev.gan.data.ImageDataset;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShuffledBatchesTest {

    /** 20 images of 2x2 whose pixels all equal index/100, labelled index % 10. */
    private static ImageDataset numbered(int count) {
        float[] pixels = new float[count * 4];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            for (int p = 0; p < 4; p++) {
                pixels[i * 4 + p] = i / 100f;
            }
            labels[i] = (byte) (i % 10);
        }
        return new ImageDataset(count, 2, 2, 10, pixels, labels);
    }

    @Test
    void anEpochVisitsEveryImageOnceWithItsOwnLabel() {
        ShuffledBatches batches = new ShuffledBatches(numbered(20), 5);
        batches.shuffle(7);
        INDArray both = Nd4j.create(DataType.FLOAT, 10, 4);
        INDArray images = both.get(NDArrayIndex.interval(0, 5), NDArrayIndex.all()); // a view, as the trainer uses
        INDArray labels = Nd4j.create(DataType.FLOAT, 5, 10);
        Set<Integer> seen = new HashSet<>();

        for (int b = 0; b < batches.batchesPerEpoch(); b++) {
            batches.fill(b, images, labels);
            for (int row = 0; row < 5; row++) {
                int index = Math.round(images.getFloat(row, 0) * 100);
                assertThat(images.getRow(row).toFloatVector()).containsOnly(index / 100f);
                assertThat(labels.getRow(row).argMax().getInt(0)).isEqualTo(index % 10);
                assertThat(labels.getRow(row).sumNumber().floatValue()).isEqualTo(1f);
                seen.add(index);
            }
        }
        assertThat(batches.batchesPerEpoch()).isEqualTo(4);
        assertThat(seen).hasSize(20);
        assertThat(both.get(NDArrayIndex.interval(5, 10), NDArrayIndex.all()).sumNumber().doubleValue()).isZero();
    }

    @Test
    void theOrderDependsOnlyOnTheSeed() {
        ShuffledBatches a = new ShuffledBatches(numbered(20), 20);
        ShuffledBatches b = new ShuffledBatches(numbered(20), 20);
        INDArray x = Nd4j.create(DataType.FLOAT, 20, 4);
        INDArray y = Nd4j.create(DataType.FLOAT, 20, 4);

        a.shuffle(3);
        a.shuffle(11);
        b.shuffle(11);
        a.fill(0, x, null);
        b.fill(0, y, null);
        assertThat(x).isEqualTo(y);

        b.shuffle(12);
        b.fill(0, y, null);
        assertThat(x).isNotEqualTo(y);
    }

    @Test
    void refusesABatchLargerThanTheData() {
        assertThatThrownBy(() -> new ShuffledBatches(numbered(4), 5))
                .hasMessageContaining("batch size 5 is larger than the data set (4 images)");
    }
}
