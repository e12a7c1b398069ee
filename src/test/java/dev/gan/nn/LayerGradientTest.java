package dev.gan.nn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Each kernel's backward pass against central differences of its forward pass, on the scalar loss
 * L = sum(r * y) for a fixed random r (so dL/dy = r). Convolutions are linear in their weights and inputs, so
 * their differences are exact but for float rounding; batch norm's are checked to second order. The oneDNN
 * kernels (libnd4j's ops) are held to the same differences where libnd4j has oneDNN.
 */
class LayerGradientTest {

    private final KernelFixtures fixtures = new KernelFixtures(11);

    private float[] randoms(int n) {
        return fixtures.randoms(n);
    }

    private ParameterMemory parameter(float[] values) {
        return fixtures.parameter(values);
    }

    private static float[] gradient(ParameterMemory p) {
        return KernelFixtures.gradient(p);
    }

    private static double dot(float[] a, float[] b, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    /** Central difference of {@code loss} in element i of {@code values} (a Java copy or a parameter's memory). */
    private static double difference(float[] values, ParameterMemory memory, int i, float step, Supplier<Double> loss) {
        float original = values[i];
        values[i] = original + step;
        if (memory != null) {
            memory.values().position(0).put(values, 0, values.length);
        }
        double up = loss.get();
        values[i] = original - step;
        if (memory != null) {
            memory.values().position(0).put(values, 0, values.length);
        }
        double down = loss.get();
        values[i] = original;
        if (memory != null) {
            memory.values().position(0).put(values, 0, values.length);
        }
        return (up - down) / (2 * step);
    }

    private static void assertClose(double analytic, double numeric, double tolerance, String what) {
        assertThat(analytic).as(what).isCloseTo(numeric, within(tolerance * Math.max(1, Math.abs(numeric))));
    }

    @ParameterizedTest(name = "{0}x{1}x{2}, kernel {3}, stride {4}, pad {5}, {6} out, oneDNN {7}")
    // Runs of kernel x channels floats of 16 and more take the native im2col path (Patches.longRuns).
    @CsvSource({"8, 6, 3, 4, 2, 1, 2, false", "7, 7, 2, 3, 1, 0, 4, false", "6, 6, 1, 4, 2, 1, 3, false",
            "8, 8, 8, 4, 2, 1, 3, false", "6, 6, 6, 3, 1, 0, 2, false",
            "8, 6, 3, 4, 2, 1, 2, true", "7, 7, 2, 3, 1, 0, 4, true", "8, 8, 8, 4, 2, 1, 3, true"})
    void convolutionGradientsMatchCentralDifferences(int h, int w, int c, int k, int stride, int pad, int out,
                                                     boolean oneDnn) {
        assumeTrue(!oneDnn || OneDnn.available(), "libnd4j without oneDNN");
        ConvGeometry g = new ConvGeometry(h, w, c, (h + 2 * pad - k) / stride + 1, (w + 2 * pad - k) / stride + 1,
                k, stride, pad);
        int n = 2;
        ConvolutionKernel conv = oneDnn ? new OneDnnConvolution(g, out, n) : new Convolution(g, out, n);
        float[] x = randoms(n * g.inputSize());
        float[] weights = randoms(out * g.patch());
        float[] biases = randoms(out);
        ParameterMemory wm = parameter(weights);
        ParameterMemory bm = parameter(biases);
        float[] r = randoms(conv.outputSize(n));
        float[] y = new float[r.length];
        Supplier<Double> loss = () -> {
            conv.forward(x, n, wm, bm, 1f, y); // slope 1: no activation
            return dot(r, y, y.length);
        };
        loss.get();
        float[] dx = new float[x.length];
        conv.backwardThroughActivation(r.clone(), y, 1f, null, n, wm, bm, true, dx);
        float[] dw = gradient(wm);
        float[] db = gradient(bm);
        for (int i = 0; i < weights.length; i += 3) {
            assertClose(dw[i], difference(weights, wm, i, 0.5f, loss), 1e-3, "dW[" + i + "]");
        }
        for (int i = 0; i < out; i++) {
            assertClose(db[i], difference(biases, bm, i, 0.5f, loss), 1e-3, "db[" + i + "]");
        }
        for (int i = 0; i < x.length; i += 2) {
            assertClose(dx[i], difference(x, null, i, 0.5f, loss), 1e-3, "dx[" + i + "]");
        }
    }

    @ParameterizedTest(name = "{0}x{1} to {2} channels, from {3}, oneDNN {4}")
    @CsvSource({"3, 4, 2, 5, false", "4, 4, 1, 3, false", "3, 3, 4, 5, false", "2, 3, 8, 3, false",
            "3, 4, 2, 5, true", "2, 3, 8, 3, true"})
    void transposedConvolutionGradientsMatchCentralDifferences(int h, int w, int outChannels, int in, boolean oneDnn) {
        assumeTrue(!oneDnn || OneDnn.available(), "libnd4j without oneDNN");
        ConvGeometry g = ConvGeometry.halving(2 * h, 2 * w, outChannels, 4);
        int n = 2;
        TransposedConvolutionKernel deconv = oneDnn ? new OneDnnTransposedConvolution(g, in, n)
                : new TransposedConvolution(g, in, n);
        float[] x = randoms(n * h * w * in);
        float[] weights = randoms(in * g.patch());
        float[] biases = randoms(outChannels);
        ParameterMemory wm = parameter(weights);
        ParameterMemory bm = parameter(biases);
        float[] r = randoms(deconv.outputSize(n));
        float[] y = new float[r.length];
        Supplier<Double> loss = () -> {
            deconv.forward(x, n, wm, bm, y);
            return dot(r, y, y.length);
        };
        loss.get();
        float[] dx = new float[x.length];
        deconv.backward(r, n, wm, bm, dx);
        float[] dw = gradient(wm);
        float[] db = gradient(bm);
        for (int i = 0; i < weights.length; i += 3) {
            assertClose(dw[i], difference(weights, wm, i, 0.5f, loss), 1e-3, "dW[" + i + "]");
        }
        for (int i = 0; i < outChannels; i++) {
            assertClose(db[i], difference(biases, bm, i, 0.5f, loss), 1e-3, "db[" + i + "]");
        }
        for (int i = 0; i < x.length; i++) {
            assertClose(dx[i], difference(x, null, i, 0.5f, loss), 1e-3, "dx[" + i + "]");
        }
    }

    @ParameterizedTest(name = "ReLU {0}")
    @CsvSource({"false", "true"})
    void batchNormGradientsMatchCentralDifferences(boolean relu) {
        int rows = 9;
        int width = 3;
        BatchNorm norm = new BatchNorm(width, rows, 1e-5, 0.9);
        float[] x = randoms(rows * width);
        float[] gamma = {1.5f, 0.7f, -1.1f};
        float[] beta = {0.2f, -0.4f, 0.1f};
        ParameterMemory gm = parameter(gamma);
        ParameterMemory bm = parameter(beta);
        ParameterMemory mean = parameter(new float[] {0.1f, -0.2f, 0.3f});
        ParameterMemory log10Std = parameter(new float[] {0f, 0.1f, -0.1f});
        float[] r = randoms(rows * width);
        float[] y = new float[r.length];
        Supplier<Double> loss = () -> {
            norm.forward(x, rows, gm, bm, relu, y);
            return dot(r, y, y.length);
        };
        loss.get();
        float[] dx = new float[x.length];
        norm.backward(r, y, rows, relu, gm, bm, mean, log10Std, dx);
        float[] dGamma = gradient(gm);
        float[] dBeta = gradient(bm);
        for (int j = 0; j < width; j++) {
            assertClose(dGamma[j], difference(gamma, gm, j, 1e-2f, loss), 2e-3, "dGamma[" + j + "]");
            assertClose(dBeta[j], difference(beta, bm, j, 1e-2f, loss), 2e-3, "dBeta[" + j + "]");
        }
        for (int i = 0; i < x.length; i++) {
            assertClose(dx[i], difference(x, null, i, 1e-2f, loss), 1e-2, "dx[" + i + "]");
        }
    }

    @Test
    void batchNormMovesItsRunningStatisticsAsDl4jDoes() {
        float[] x = {1, 10, 3, 20, 5, 60};  // two columns: means 3 and 30, biased variances 8/3 and 1400/3
        BatchNorm norm = new BatchNorm(2, 3, 1e-5, 0.9);
        ParameterMemory gm = parameter(new float[] {1, 1});
        ParameterMemory bm = parameter(new float[] {0, 0});
        ParameterMemory mean = parameter(new float[] {1, 2});
        ParameterMemory log10Std = parameter(new float[] {0, 1});
        float[] y = new float[6];
        norm.forward(x, 3, gm, bm, false, y);
        norm.backward(new float[6], y, 3, false, gm, bm, mean, log10Std, new float[6]);
        float[] meanMove = gradient(mean);
        float[] stdMove = gradient(log10Std);
        // mean - move = 0.9 mean + 0.1 batch mean; log10 std - move = log10 sqrt(0.9 var + 0.1 batch var)
        assertThat(1 - meanMove[0]).isCloseTo(0.9f * 1 + 0.1f * 3, within(1e-5f));
        assertThat(2 - meanMove[1]).isCloseTo(0.9f * 2 + 0.1f * 30, within(1e-5f));
        assertThat(0 - stdMove[0]).isCloseTo((float) Math.log10(Math.sqrt(0.9 * 1 + 0.1 * 8 / 3.0)), within(1e-5f));
        assertThat(1 - stdMove[1]).isCloseTo((float) Math.log10(Math.sqrt(0.9 * 100 + 0.1 * 1400 / 3.0)), within(1e-5f));
    }

    @Test
    void scatterIsTheAdjointOfGather() {
        ConvGeometry g = ConvGeometry.halving(6, 8, 3, 4);
        Patches patches = new Patches(g, 2);
        float[] x = randoms(2 * g.inputSize());
        float[] c = randoms(g.rows(2) * g.patch());
        float[] gathered = new float[c.length];
        float[] scattered = new float[x.length];
        patches.gather(x, 2, gathered);
        patches.scatter(c, 2, scattered);
        assertThat(dot(gathered, c, c.length)).isCloseTo(dot(x, scattered, x.length), within(1e-3));
    }

    @Test
    void theNativeIm2colMatchesTheJavaOne() {
        ConvGeometry g = ConvGeometry.halving(6, 8, 8, 4);
        Patches patches = new Patches(g, 2);
        assertThat(patches.longRuns()).isTrue();
        float[] x = randoms(2 * g.inputSize());
        int size = g.rows(2) * g.patch();
        float[] javaCol = new float[size];
        patches.gather(x, 2, javaCol);
        NativeFloats nativeCol = new NativeFloats(size);
        patches.gather(x, 2, nativeCol);
        assertThat(nativeCol.store(new float[size], size)).containsExactly(javaCol);

        float[] c = randoms(size);
        float[] javaSums = new float[x.length];
        float[] nativeSums = new float[x.length];
        patches.scatter(c, 2, javaSums);
        nativeCol.load(c, size);
        patches.scatter(nativeCol, 2, nativeSums);
        assertThat(nativeSums).containsExactly(javaSums);
    }

    @ParameterizedTest(name = "channels {0}..+{1} of 3")
    @CsvSource({"0, 1", "2, 1", "0, 2", "1, 2"})
    void theInputDeltaOfSomeChannelsIsThoseChannelsOfTheWholeOne(int first, int count) {
        ConvGeometry g = ConvGeometry.halving(8, 6, 3, 4);
        Convolution conv = new Convolution(g, 5, 2);
        ParameterMemory wm = parameter(randoms(5 * g.patch()));
        ParameterMemory bm = parameter(randoms(5));
        float[] x = randoms(2 * g.inputSize());
        float[] y = new float[conv.outputSize(2)];
        conv.forward(x, 2, wm, bm, y);
        float[] whole = new float[x.length];
        conv.backward(randoms(y.length), 2, wm, bm, false, whole);
        float[] part = new float[2 * 8 * 6 * count];
        conv.inputDelta(2, first, count, part);
        for (int pixel = 0; pixel < 2 * 8 * 6; pixel++) {
            for (int c = 0; c < count; c++) {
                assertThat(part[pixel * count + c]).as("pixel %d channel %d", pixel, first + c)
                        .isCloseTo(whole[pixel * 3 + first + c], within(1e-5f));
            }
        }
    }
}
