package dev.gan.nn;

import dev.gan.util.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * gan's own convolution, pooling and batch-norm kernels split their images (im2col, col2im, the copies, the
 * windows) or rows over the threads: on two threads they compute what they compute on one. Each image is summed from its own rows alone; only a part's multiply
 * may block its rows differently, so the results agree to float rounding.
 */
class SplitKernelsTest {

    @AfterEach
    void oneThreadAgain() {
        Parallel.use(1);
    }

    /** What one convolution's forward and backward passes produce, on the given thread count. */
    private static float[][] convolution(int threads, int c, int out, int n) {
        Parallel.use(threads);
        KernelFixtures fixtures = new KernelFixtures(5);
        ConvGeometry geometry = ConvGeometry.halving(14, 14, c, 4);
        Convolution conv = new Convolution(geometry, out, n);
        ParameterMemory w = fixtures.parameter(fixtures.randoms(out * c * 16));
        ParameterMemory b = fixtures.parameter(fixtures.randoms(out));
        float[] input = fixtures.randoms(n * geometry.inputSize());
        float[] output = new float[conv.outputSize(n)];
        conv.forward(input, n, w, b, 0.2f, output);
        float[] delta = fixtures.randoms(output.length);
        float[] inputDelta = new float[input.length];
        conv.backwardThroughActivation(delta, output, 0.2f, null, n, w, b, true, inputDelta);
        return new float[][] {output, inputDelta, KernelFixtures.gradient(w), KernelFixtures.gradient(b)};
    }

    /** The same for a transposed convolution (G's layers: many channels to few). */
    private static float[][] transposed(int threads, int in, int out, int n) {
        Parallel.use(threads);
        KernelFixtures fixtures = new KernelFixtures(6);
        ConvGeometry geometry = ConvGeometry.halving(14, 14, out, 4);
        TransposedConvolution deconv = new TransposedConvolution(geometry, in, n);
        ParameterMemory w = fixtures.parameter(fixtures.randoms(in * out * 16));
        ParameterMemory b = fixtures.parameter(fixtures.randoms(out));
        float[] input = fixtures.randoms(n * geometry.rows(1) * in);
        float[] output = new float[deconv.outputSize(n)];
        deconv.forward(input, n, w, b, output);
        float[] inputDelta = new float[input.length];
        deconv.backward(fixtures.randoms(output.length), n, w, b, inputDelta);
        return new float[][] {output, inputDelta, KernelFixtures.gradient(w), KernelFixtures.gradient(b)};
    }

    @ParameterizedTest(name = "{0} to {1} channels, {2} images")
    @CsvSource({"1, 32, 64", "8, 16, 50", "32, 64, 40"})
    void aConvolutionOnTwoThreadsComputesWhatItComputesOnOne(int c, int out, int n) {
        assertAgree(convolution(2, c, out, n), convolution(1, c, out, n));
    }

    @ParameterizedTest(name = "{0} to {1} channels, {2} images")
    @CsvSource({"32, 1, 64", "64, 32, 50"})
    void aTransposedConvolutionOnTwoThreadsComputesWhatItComputesOnOne(int in, int out, int n) {
        assertAgree(transposed(2, in, out, n), transposed(1, in, out, n));
    }

    /**
     * Batch norm (with its ReLU) over {@code rows} rows of {@code width} columns, on the given thread count: its
     * output, dLoss/dx, and gamma's and beta's gradients.
     */
    private static float[][] normalized(int threads, int rows, int width) {
        Parallel.use(threads);
        KernelFixtures fixtures = new KernelFixtures(8);
        BatchNorm norm = new BatchNorm(width, rows, 1e-5, 0.9);
        ParameterMemory gamma = fixtures.parameter(fixtures.randoms(width));
        ParameterMemory beta = fixtures.parameter(fixtures.randoms(width));
        float[] x = fixtures.randoms(rows * width);
        for (int i = 0; i < x.length; i++) {
            x[i] = 3 * x[i] + (i % width); // columns off zero and apart: the means matter
        }
        float[] y = new float[x.length];
        norm.forward(x, rows, gamma, beta, true, y);
        float[] dx = new float[x.length];
        norm.backward(fixtures.randoms(x.length), y, rows, true, gamma, beta,
                fixtures.parameter(new float[width]), fixtures.parameter(new float[width]), dx);
        return new float[][] {y, dx, KernelFixtures.gradient(gamma), KernelFixtures.gradient(beta)};
    }

    @ParameterizedTest(name = "{0} rows of {1}")
    @CsvSource({"4900, 64", "1000, 128", "200, 6272", "100, 6272", "25, 6272"}) // by rows, and by columns (few rows)
    void batchNormOnTwoThreadsComputesWhatItComputesOnOne(int rows, int width) {
        assertAgree(normalized(2, rows, width), normalized(1, rows, width));
    }

    /**
     * Max pooling's input, output, input gradient, and output without the routing (forwardMaxima) of 64 images of
     * 8x8x20, on the given thread count.
     */
    private static float[][] pooled(int threads) {
        Parallel.use(threads);
        KernelFixtures fixtures = new KernelFixtures(7);
        int n = 64;
        MaxPool pool = new MaxPool(8, 8, 20, 2, n);
        float[] input = fixtures.randoms(n * 8 * 8 * 20);
        float[] output = new float[pool.outputSize(n)];
        pool.forward(input, n, output);
        float[] inputDelta = new float[input.length];
        pool.backward(fixtures.randoms(output.length), n, inputDelta);
        float[] maxima = new float[output.length];
        pool.forwardMaxima(input, n, maxima);
        return new float[][] {input, output, inputDelta, maxima};
    }

    @Test
    void maxPoolingOnTwoThreadsGivesTheBitsOfOne() {
        float[][] split = pooled(2);
        float[][] single = pooled(1);

        assertThat(split[1]).containsExactly(single[1]);
        assertThat(split[2]).containsExactly(single[2]);
        assertThat(single[3]).as("the maxima alone").containsExactly(single[1]);
        assertThat(split[3]).containsExactly(single[1]);
        // Image 0, channel 0, the first window: the largest of its four inputs (NHWC: pixel p's channel 0 at 20 p).
        float[] in = single[0];
        assertThat(single[1][0]).isEqualTo(Math.max(Math.max(in[0], in[20]), Math.max(in[8 * 20], in[9 * 20])));
        long routed = 0;
        for (float v : single[2]) {
            routed += v != 0 ? 1 : 0;
        }
        assertThat(routed).as("one input per window gets a gradient").isEqualTo(single[1].length);
    }

    private static void assertAgree(float[][] split, float[][] single) {
        String[] names = {"output", "input gradient", "weight gradient", "bias gradient"};
        for (int i = 0; i < names.length; i++) {
            float scale = 0;
            for (float v : single[i]) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertThat(scale).as(names[i]).isGreaterThan(0f);
            for (int j = 0; j < single[i].length; j++) {
                assertThat(Math.abs(split[i][j] - single[i][j])).as("%s[%d]", names[i], j).isLessThanOrEqualTo(1e-5f * scale);
            }
        }
    }
}
