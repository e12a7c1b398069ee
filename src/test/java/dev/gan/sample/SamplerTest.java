package dev.gan.sample;

import dev.gan.model.GanModels;
import dev.gan.model.GeneratorFile;
import dev.gan.model.ModelSpec;
import dev.gan.model.NoiseKind;
import dev.gan.model.WeightInitKind;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SamplerTest {

    private static Sampler sampler(NoiseKind noise) {
        ModelSpec spec = new ModelSpec(true, 8, noise, 16, 28, 28, 10, WeightInitKind.XAVIER);
        return new Sampler(new GeneratorFile.Loaded(GanModels.generator(spec, 1e-3, 0.9, 0.999, 1), spec));
    }

    @Test
    void slerpStartsAtAEndsAtBAndKeepsTheNormOfEqualNormEnds() {
        float[] a = {1, 0, 0};
        float[] b = {0, 1, 0};

        assertThat(Sampler.slerp(a, b, 0)).containsExactly(a);
        assertThat(Sampler.slerp(a, b, 1)[1]).isCloseTo(1f, within(1e-6f));
        float[] mid = Sampler.slerp(a, b, 0.5);
        assertThat(Math.hypot(mid[0], mid[1])).isCloseTo(1.0, within(1e-6));
        assertThat(mid[0]).isCloseTo(mid[1], within(1e-6f));
    }

    @Test
    void truncationBoundsEveryNoiseComponent() {
        float[][] noise = sampler(NoiseKind.GAUSSIAN).noise(200, new Random(1), 0.5);

        for (float[] z : noise) {
            for (float v : z) {
                assertThat(Math.abs(v)).isLessThanOrEqualTo(0.5f);
            }
        }
    }

    @Test
    void categoricalNoiseEndsInAOneHotCategoryEveryCategoryDrawnAndTruncationSparesIt() {
        ModelSpec spec = new ModelSpec(false, 16, NoiseKind.CATEGORICAL, 16, 28, 28, 10, WeightInitKind.XAVIER);
        Sampler sampler = new Sampler(new GeneratorFile.Loaded(GanModels.generator(spec, 1e-3, 0.9, 0.999, 1), spec));

        float[][] noise = sampler.noise(500, new Random(1), 0.5);

        int[] drawn = new int[NoiseKind.CATEGORIES];
        for (float[] z : noise) {
            float[] tail = java.util.Arrays.copyOfRange(z, 6, 16);
            int hot = 0;
            for (int k = 0; k < tail.length; k++) {
                assertThat(tail[k]).isIn(0f, 1f);
                hot += tail[k] == 1f ? 1 : 0;
                drawn[k] += (int) tail[k];
            }
            assertThat(hot).isEqualTo(1);
            for (int i = 0; i < 6; i++) {
                assertThat(Math.abs(z[i])).isLessThanOrEqualTo(0.5f);
            }
        }
        assertThat(java.util.Arrays.stream(drawn).boxed()).allSatisfy(count -> assertThat(count).isBetween(25, 75));
    }

    @Test
    void generatesBatchesBeyondOneForwardPassInOrder() {
        Sampler sampler = sampler(NoiseKind.UNIFORM);
        int[] labels = new int[1500];

        float[] many = sampler.generate(1500, labels, 3, 0);
        float[] few = sampler.generate(10, new int[10], 3, 0);

        assertThat(many).hasSize(1500 * 784);
        for (int i = 0; i < few.length; i++) { // same noise; GEMM blocking may differ by batch size in the last bits
            assertThat(many[i]).isCloseTo(few[i], within(1e-5f));
        }
        for (float p : many) {
            assertThat(p).isBetween(0f, 1f);
        }
    }
}
