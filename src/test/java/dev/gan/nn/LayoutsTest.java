package dev.gan.nn;

import dev.gan.util.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The row passes of the DCGAN's discriminator (packing into NHWC, the logit, its gradients) compute what their
 * definitions say, on matrices large enough to be split, and give the same bits on two threads as on one: each
 * element is computed alone, each column summed in row order.
 */
class LayoutsTest {

    private static final int ROWS = 50;
    private static final int WIDTH = 6272; // D's logit input at width 64: 128 channels of 7 x 7
    private static final int PIXELS = 784;

    @AfterEach
    void oneThreadAgain() {
        Parallel.use(1);
    }

    @Test
    void dotRowsIsEachRowTimesTheWeightsPlusTheBias() {
        KernelFixtures fixtures = new KernelFixtures(11);
        float[] values = fixtures.randoms(ROWS * WIDTH);
        float[] weights = fixtures.randoms(WIDTH);
        float[] out = new float[ROWS];
        Parallel.use(2);
        Layouts.dotRows(values, ROWS, WIDTH, weights, 0.5f, out);
        float[] expected = new float[ROWS];
        for (int i = 0; i < ROWS; i++) {
            float sum = 0;
            for (int j = 0; j < WIDTH; j++) {
                sum += values[i * WIDTH + j] * weights[j];
            }
            expected[i] = sum + 0.5f;
        }
        assertSameBits(out, expected, "logits");
    }

    @Test
    void outerProductAndWeightedColumnSumsAreTheLogitsGradients() {
        KernelFixtures fixtures = new KernelFixtures(12);
        float[] errors = fixtures.randoms(ROWS);
        float[] row = fixtures.randoms(WIDTH);
        float[] values = fixtures.randoms(ROWS * WIDTH);
        float[] product = new float[ROWS * WIDTH];
        float[] sums = new float[WIDTH];
        Arrays.fill(sums, 7f); // stale values must not survive
        Parallel.use(2);
        Layouts.outerProduct(errors, ROWS, row, WIDTH, product);
        Layouts.weightedColumnSums(values, errors, ROWS, WIDTH, sums);
        float[] expectedProduct = new float[ROWS * WIDTH];
        float[] expectedSums = new float[WIDTH];
        for (int j = 0; j < WIDTH; j++) {
            float sum = 0;
            for (int i = 0; i < ROWS; i++) {
                expectedProduct[i * WIDTH + j] = errors[i] * row[j];
                sum += values[i * WIDTH + j] * errors[i];
            }
            expectedSums[j] = sum;
        }
        assertSameBits(product, expectedProduct, "outer product");
        assertSameBits(sums, expectedSums, "weighted column sums");
    }

    @Test
    void interleaveFillsItsChannelsOfTheNhwcImagesAndLeavesTheOthers() {
        KernelFixtures fixtures = new KernelFixtures(13);
        float[] images = fixtures.randoms(ROWS * PIXELS);
        float[] labelMaps = fixtures.randoms(ROWS * PIXELS);
        float[] nhwc = new float[ROWS * PIXELS * 3];
        Arrays.fill(nhwc, -9f);
        Parallel.use(2);
        Layouts.interleave(images, ROWS, 1, PIXELS, nhwc, 3, 0);
        Layouts.interleave(labelMaps, ROWS, 1, PIXELS, nhwc, 3, 1);
        float[] expected = new float[nhwc.length];
        for (int e = 0; e < ROWS; e++) {
            for (int p = 0; p < PIXELS; p++) {
                int at = (e * PIXELS + p) * 3;
                expected[at] = images[e * PIXELS + p];
                expected[at + 1] = labelMaps[e * PIXELS + p];
                expected[at + 2] = -9f; // a channel nobody wrote
            }
        }
        assertSameBits(nhwc, expected, "NHWC images");
    }

    @Test
    void twoThreadsGiveTheBitsOfOne() {
        float[][] single = everyPass(1);
        float[][] split = everyPass(2);
        for (int i = 0; i < single.length; i++) {
            assertSameBits(split[i], single[i], "pass " + i);
        }
    }

    private static void assertSameBits(float[] actual, float[] expected, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        assertThat(Arrays.mismatch(actual, expected)).as("%s: the first element that differs (-1: none)", what)
                .isEqualTo(-1);
    }

    /** The outputs of every split pass of Layouts on the same inputs, on the given thread count. */
    private static float[][] everyPass(int threads) {
        Parallel.use(threads);
        KernelFixtures fixtures = new KernelFixtures(14);
        float[] values = fixtures.randoms(ROWS * WIDTH);
        float[] weights = fixtures.randoms(WIDTH);
        float[] errors = fixtures.randoms(ROWS);
        float[] output = fixtures.randoms(ROWS * WIDTH);
        float[] mask = fixtures.randoms(ROWS * WIDTH);
        float[] logits = new float[ROWS];
        Layouts.dotRows(values, ROWS, WIDTH, weights, 0.25f, logits);
        float[] product = new float[ROWS * WIDTH];
        Layouts.outerProduct(errors, ROWS, weights, WIDTH, product);
        float[] weighted = Layouts.weightedColumnSums(values, errors, ROWS, WIDTH, new float[WIDTH]);
        float[] columns = Layouts.columnSums(values, ROWS, WIDTH, new float[WIDTH]);
        float[] biased = values.clone();
        Layouts.addBias(biased, ROWS, weights, WIDTH);
        float[] derivative = values.clone();
        Layouts.multiplyByDerivative(derivative, output, 0.2f, mask, ROWS * WIDTH);
        float[] summed = values.clone();
        float[] sums = Layouts.multiplyByDerivativeAndSum(summed, output, 0.2f, null, ROWS, WIDTH, new float[WIDTH]);
        float[] nhwc = new float[ROWS * WIDTH];
        Layouts.transpose(values, ROWS, 128, 49, nhwc, true);
        float[] back = new float[ROWS * WIDTH];
        Layouts.transpose(nhwc, ROWS, 128, 49, back, false);
        assertSameBits(back, values, "transposed back");
        float[] packed = new float[ROWS * WIDTH];
        Layouts.interleave(values, ROWS, 2, WIDTH / 2, packed, 2, 0);
        return new float[][] {logits, product, weighted, columns, biased, derivative, summed, sums, nhwc, packed};
    }
}
