package dev.gan.train;

import dev.gan.model.Architecture;
import dev.gan.model.ModelSpec;
import dev.gan.model.NoiseKind;
import dev.gan.model.WeightInitKind;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.assertj.core.api.Assertions.assertThat;

/** The sample grids' latent points: the same every epoch, one digit or category per row where there is one. */
class FixedSamplesTest {

    private static TrainingRun.FixedSamples samples(boolean conditional, NoiseKind noise) {
        ModelSpec spec = new ModelSpec(conditional, 20, noise, 8, 28, 28, 10, WeightInitKind.XAVIER, Architecture.DCGAN);
        return new TrainingRun.FixedSamples(spec, 100, 7);
    }

    @Test
    void aCategoricalGridDrawsCategoryROnRowR() {
        INDArray noise = samples(false, NoiseKind.CATEGORICAL).noise();

        INDArray categories = noise.get(NDArrayIndex.all(), NDArrayIndex.interval(10, 20));
        for (int i = 0; i < 100; i++) {
            assertThat(categories.getRow(i).argMax().getInt(0)).as("image %d", i).isEqualTo(i / 10);
            assertThat(categories.getRow(i).sumNumber().doubleValue()).isEqualTo(1.0);
        }
        assertThat(noise.getRow(0).getDouble(0)).isNotEqualTo(noise.getRow(1).getDouble(0)); // z differs per image
    }

    @Test
    void aCganGridAsksForDigitROnRowRAndGaussianNoiseStaysAsDrawn() {
        TrainingRun.FixedSamples cgan = samples(true, NoiseKind.UNIFORM);
        for (int i = 0; i < 100; i++) {
            assertThat(cgan.labels().getRow(i).argMax().getInt(0)).isEqualTo(i / 10);
        }
        INDArray gaussian = samples(false, NoiseKind.GAUSSIAN).noise();
        assertThat(gaussian.get(NDArrayIndex.all(), NDArrayIndex.interval(10, 20)).minNumber().doubleValue())
                .isNegative();
        assertThat(samples(false, NoiseKind.GAUSSIAN).noise()).isEqualTo(gaussian);
    }
}
