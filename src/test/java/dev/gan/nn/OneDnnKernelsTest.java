package dev.gan.nn;

import dev.gan.util.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The oneDNN kernels compute what gan's own im2col kernels compute, to float rounding: forward outputs, input
 * gradients and parameter gradients, on the DCGAN's halving geometry (4x4, stride 2), with the same DL4J
 * parameter layouts, for the batch a kernel was made for and a smaller one, whole on one thread and split by
 * images on two (each part its own oneDNN call, the parts' weight gradients added after).
 */
class OneDnnKernelsTest {

    private static final double TOLERANCE = 1e-5;
    private final KernelFixtures fixtures = new KernelFixtures(5);

    @AfterEach
    void oneThreadAgain() {
        Parallel.use(1);
    }

    @Test
    void theCpuBuildHasOneDnnWhereTheCpuHasAvx2() throws Exception {
        // JavaCPP loads libnd4j's onednn-avx2 build on such CPUs and the generic one (no oneDNN) elsewhere.
        Path cpuinfo = Path.of("/proc/cpuinfo");
        assumeThat(Files.isReadable(cpuinfo)).isTrue();
        assumeThat(Files.readString(cpuinfo)).contains(" avx2 ");
        assertThat(OneDnn.available()).isTrue();
    }

    @Test
    void theOffSwitchKeepsGansOwnKernels() {
        System.setProperty(OneDnn.OFF_PROPERTY, "true");
        try {
            assertThat(OneDnn.available()).isFalse();
        } finally {
            System.clearProperty(OneDnn.OFF_PROPERTY);
        }
    }

    @ParameterizedTest(name = "{0}x{1}x{2} -> {3} channels, batch {4} of {5}, slope {6}, {7} threads")
    @CsvSource({"14, 14, 32, 64, 6, 6, 0.2, 1", "14, 14, 32, 64, 3, 6, 0.2, 1", "12, 8, 5, 7, 4, 4, 0, 1",
            "4, 8, 3, 2, 2, 3, 1, 1", "14, 14, 32, 64, 9, 12, 0.2, 2", "12, 8, 5, 7, 12, 12, 0, 2",
            "4, 8, 3, 2, 2, 3, 1, 2"})
    void convolutionMatchesIm2col(int h, int w, int c, int out, int n, int maxBatch, float slope, int threads) {
        assumeThat(OneDnn.available()).isTrue();
        Parallel.use(threads);
        ConvGeometry g = ConvGeometry.halving(h, w, c, 4);
        Convolution reference = new Convolution(g, out, maxBatch);
        OneDnnConvolution candidate = new OneDnnConvolution(g, out, maxBatch);
        ParameterMemory[] weights = twice(randoms(out * g.patch()));
        ParameterMemory[] biases = twice(randoms(out));
        float[] input = randoms(n * g.inputSize());
        float[] y1 = new float[candidate.outputSize(n)];
        float[] y2 = new float[candidate.outputSize(n)];
        reference.forward(input, n, weights[0], biases[0], slope, y1);
        candidate.forward(input, n, weights[1], biases[1], slope, y2);
        assertClose(y2, y1, "output");

        float[] mask = randoms(y1.length);
        float[] delta1 = randoms(y1.length);
        float[] delta2 = delta1.clone();
        float[] dx1 = new float[n * g.inputSize()];
        float[] dx2 = new float[n * g.inputSize()];
        reference.backwardThroughActivation(delta1, y1, slope, mask, n, weights[0], biases[0], true, dx1);
        candidate.backwardThroughActivation(delta2, y2, slope, mask, n, weights[1], biases[1], true, dx2);
        assertClose(delta2, delta1, "dLoss/d pre-activation");
        assertClose(dx2, dx1, "input gradient");
        assertClose(KernelFixtures.gradient(weights[1]), KernelFixtures.gradient(weights[0]), "weight gradient");
        assertClose(KernelFixtures.gradient(biases[1]), KernelFixtures.gradient(biases[0]), "bias gradient");
    }

    @ParameterizedTest(name = "{2} channels {0}x{1} -> {3} channels, batch {4} of {5}, {6} threads")
    @CsvSource({"7, 7, 64, 32, 5, 5, 1", "7, 7, 64, 32, 2, 5, 1", "3, 2, 6, 4, 3, 3, 1", "7, 7, 64, 32, 11, 11, 2",
            "3, 2, 6, 4, 8, 9, 2"})
    void transposedConvolutionMatchesIm2col(int h, int w, int in, int out, int n, int maxBatch, int threads) {
        assumeThat(OneDnn.available()).isTrue();
        Parallel.use(threads);
        // The geometry of the convolution this layer is the transpose of: its input is the layer's output.
        ConvGeometry g = ConvGeometry.halving(2 * h, 2 * w, out, 4);
        TransposedConvolution reference = new TransposedConvolution(g, in, maxBatch);
        OneDnnTransposedConvolution candidate = new OneDnnTransposedConvolution(g, in, maxBatch);
        ParameterMemory[] weights = twice(randoms(in * g.patch()));
        ParameterMemory[] biases = twice(randoms(out));
        float[] input = randoms(n * h * w * in);
        float[] y1 = new float[candidate.outputSize(n)];
        float[] y2 = new float[candidate.outputSize(n)];
        reference.forward(input, n, weights[0], biases[0], y1);
        candidate.forward(input, n, weights[1], biases[1], y2);
        assertClose(y2, y1, "output");

        float[] delta = randoms(y1.length);
        float[] dx1 = new float[input.length];
        float[] dx2 = new float[input.length];
        reference.backward(delta, n, weights[0], biases[0], dx1);
        candidate.backward(delta, n, weights[1], biases[1], dx2);
        assertClose(dx2, dx1, "input gradient");
        assertClose(KernelFixtures.gradient(weights[1]), KernelFixtures.gradient(weights[0]), "weight gradient");
        assertClose(KernelFixtures.gradient(biases[1]), KernelFixtures.gradient(biases[0]), "bias gradient");
    }

    @Test
    void aBackwardPassNeedsTheForwardPassOfItsBatch() {
        assumeThat(OneDnn.available()).isTrue();
        ConvGeometry g = ConvGeometry.halving(8, 8, 2, 4);
        OneDnnConvolution conv = new OneDnnConvolution(g, 3, 4);
        ParameterMemory w = fixtures.parameter(randoms(3 * g.patch()));
        ParameterMemory b = fixtures.parameter(randoms(3));
        float[] y = new float[conv.outputSize(4)];
        conv.forward(randoms(4 * g.inputSize()), 4, w, b, 0.2f, y);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> conv.backwardThroughActivation(
                        new float[y.length], y, 0.2f, null, 2, w, b, true, null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("batch of 2");
    }

    private void assertClose(float[] actual, float[] expected, String what) {
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        }
        assertThat(scale).as(what + " is not all zeros").isGreaterThan(0);
        assertThat(worst / scale).as(what + ": largest difference relative to the largest value").isLessThan(TOLERANCE);
    }

    private float[] randoms(int n) {
        return fixtures.randoms(n);
    }

    /** The same values as two parameters, one for each kernel under comparison. */
    private ParameterMemory[] twice(float[] values) {
        return new ParameterMemory[] {fixtures.parameter(values), fixtures.parameter(values)};
    }
}
