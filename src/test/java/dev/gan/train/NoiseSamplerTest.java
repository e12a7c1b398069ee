package dev.gan.train;

import dev.gan.model.NoiseKind;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The training noise: each kind's distribution, drawn the same way again after the same seed. */
class NoiseSamplerTest {

    private static INDArray draw(NoiseKind kind, long seed) {
        NoiseSampler sampler = new NoiseSampler(kind, 1);
        sampler.reseed(seed);
        return sampler.fill(Nd4j.create(DataType.FLOAT, 2000, 32));
    }

    @Test
    void categoricalNoiseIsGaussianThenOneHotWithEveryCategoryAboutEquallyOften() {
        INDArray z = draw(NoiseKind.CATEGORICAL, 7);
        INDArray gaussian = z.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 22));
        INDArray categories = z.get(NDArrayIndex.all(), NDArrayIndex.interval(22, 32));

        assertThat(gaussian.meanNumber().doubleValue()).isCloseTo(0, within(0.02));
        assertThat(gaussian.stdNumber().doubleValue()).isCloseTo(1, within(0.02));
        assertThat(categories.sum(1).toDoubleVector()).containsOnly(1.0);
        assertThat(java.util.Arrays.stream(categories.sum(0).toDoubleVector()).boxed())
                .allSatisfy(count -> assertThat(count).isBetween(150.0, 250.0));
    }

    @Test
    void theSameSeedDrawsTheSameNoiseAndAnotherSeedOther() {
        for (NoiseKind kind : NoiseKind.values()) {
            assertThat(draw(kind, 7)).as("%s", kind).isEqualTo(draw(kind, 7));
            assertThat(draw(kind, 7)).as("%s", kind).isNotEqualTo(draw(kind, 8));
        }
    }
}
