package dev.gan.nn;

import dev.gan.util.Sgemm;

/**
 * A convolution with DL4J's weight layout [out, in, kH, kW] and a bias, on NHWC activations: forward is the
 * im2col matrix times the weights, one sgemm for the whole batch; backward is two sgemms (weight gradient and
 * input gradient) and a col2im. Pre-activations only; the caller applies the activation.
 *
 * <p>The im2col matrix of the last forward pass stays in native memory for the weight gradient of the next
 * backward pass, so a forward and its backward must be on the same batch.
 */
public final class Convolution implements ConvolutionKernel {

    private final ConvGeometry geometry;
    private final Patches patches;
    private final int out;
    private final int maxBatch;
    private final float[] col;
    private final float[] weights;        // [out, kH, kW, in]: the gemm's layout
    private final float[] weightGradient;
    private final float[] rearranged;
    private final float[] bias;             // the bias, then its gradient
    private final NativeFloats nativeCol;
    private final NativeFloats nativeWeights;
    private final NativeFloats nativeOut;   // pre-activations, then the output delta
    private final NativeFloats nativeWeightGradient;
    private int lastBatch = -1;
    // For inputDelta: the geometry and im2col of a range of input channels, made on first use.
    private ConvGeometry partGeometry;
    private Patches partPatches;
    private int partChannels;

    public Convolution(ConvGeometry geometry, int out, int maxBatch) {
        this.geometry = geometry;
        this.patches = new Patches(geometry, maxBatch);
        this.out = out;
        this.maxBatch = maxBatch;
        int patch = geometry.patch();
        long rows = geometry.rows(maxBatch);
        // The Java copy of the matrix only for short runs (see Patches.longRuns); long ones go straight to native.
        col = patches.longRuns() ? null : new float[Math.toIntExact(rows * patch)];
        weights = new float[out * patch];
        weightGradient = new float[out * patch];
        rearranged = new float[out * patch];
        bias = new float[out];
        nativeCol = new NativeFloats(rows * patch);
        nativeWeights = new NativeFloats((long) out * patch);
        nativeOut = new NativeFloats(rows * out);
        nativeWeightGradient = new NativeFloats((long) out * patch);
    }

    public ConvGeometry geometry() {
        return geometry;
    }

    /** Output floats of {@code n} images. */
    public int outputSize(int n) {
        return geometry.rows(n) * out;
    }

    /** {@code output} (NHWC, {@code n} images) = conv(input) + bias. */
    public void forward(float[] input, int n, ParameterMemory w, ParameterMemory biasParam, float[] output) {
        forward(input, n, w, biasParam, 1f, output);
    }

    /** {@code output} = f(conv(input) + bias), f(v) = max(v, slope v) (see {@link Layouts#addBiasAndActivate}). */
    public void forward(float[] input, int n, ParameterMemory w, ParameterMemory biasParam, float slope,
                        float[] output) {
        check(n);
        int rows = geometry.rows(n);
        int patch = geometry.patch();
        if (col == null) {
            patches.gather(input, n, nativeCol);
        } else {
            patches.gather(input, n, col);
            nativeCol.load(col, rows * patch);
        }
        Layouts.tapsLast(w.read(rearranged), out, geometry.channels(), geometry.kernel(), weights);
        nativeWeights.load(weights, out * patch);
        Sgemm.multiply(false, true, rows, out, patch, 1f, nativeCol.pointer(), patch, nativeWeights.pointer(), patch,
                0f, nativeOut.pointer(), out);
        nativeOut.store(output, rows * out);
        Layouts.addBiasAndActivate(output, rows, biasParam.read(bias), out, slope);
        lastBatch = n;
    }

    /**
     * From {@code outputDelta} (dLoss/d pre-activation, NHWC) of the last forward pass: the weight and bias
     * gradients (summed over the batch) when {@code w}'s gradient is wanted, and {@code inputDelta} unless null.
     */
    public void backward(float[] outputDelta, int n, ParameterMemory w, ParameterMemory biasParam, boolean parameterGradients,
                         float[] inputDelta) {
        float[] biasGradient = parameterGradients ? Layouts.columnSums(outputDelta, geometry.rows(n), out, bias) : null;
        backward(outputDelta, n, w, biasParam, biasGradient, inputDelta);
    }

    /**
     * As {@link #backward(float[], int, ParameterMemory, ParameterMemory, boolean, float[])} from dLoss/d output of
     * the activation the forward pass applied ({@code output} its result, slope as given there, {@code mask} a
     * dropout mask or null): {@code delta} becomes dLoss/d pre-activation, its bias sums taken in the same pass.
     */
    public void backwardThroughActivation(float[] delta, float[] output, float slope, float[] mask, int n,
                                          ParameterMemory w, ParameterMemory biasParam, boolean parameterGradients,
                                          float[] inputDelta) {
        int rows = geometry.rows(n);
        float[] biasGradient = null;
        if (parameterGradients) {
            biasGradient = Layouts.multiplyByDerivativeAndSum(delta, output, slope, mask, rows, out, bias);
        } else {
            Layouts.multiplyByDerivative(delta, output, slope, mask, rows * out);
        }
        backward(delta, n, w, biasParam, biasGradient, inputDelta);
    }

    /** The backward pass given the bias gradient (null: no parameter gradients). */
    private void backward(float[] outputDelta, int n, ParameterMemory w, ParameterMemory biasParam, float[] biasGradient,
                          float[] inputDelta) {
        if (n != lastBatch) {
            throw new IllegalStateException("backward on a batch of " + n + " after a forward pass on " + lastBatch);
        }
        int rows = geometry.rows(n);
        int patch = geometry.patch();
        nativeOut.load(outputDelta, rows * out);
        if (biasGradient != null) {
            Sgemm.multiply(true, false, out, patch, rows, 1f, nativeOut.pointer(), out, nativeCol.pointer(), patch, 0f,
                    nativeWeightGradient.pointer(), patch);
            nativeWeightGradient.store(weightGradient, out * patch);
            Layouts.tapsBack(weightGradient, out, geometry.channels(), geometry.kernel(), rearranged);
            w.writeGradient(rearranged);
            biasParam.writeGradient(biasGradient);
        }
        if (inputDelta != null) {
            patches.scatterProduct(nativeOut.pointer(), out, nativeWeights.pointer(), n, inputDelta);
        }
    }

    /**
     * dLoss/d input for input channels [first, first + count) only, from the output delta of the last
     * {@link #backward}: {@code inputDelta} gets n NHWC images of {@code count} channels. A cGAN's D needs the
     * label channel's gradient in its own step and the image channels' in G's step, never all of them.
     */
    public void inputDelta(int n, int first, int count, float[] inputDelta) {
        if (n != lastBatch) {
            throw new IllegalStateException("input delta on a batch of " + n + " after a forward pass on " + lastBatch);
        }
        int c = geometry.channels();
        if (first < 0 || count < 1 || first + count > c) {
            throw new IllegalArgumentException("channels " + first + ".." + (first + count) + " outside 0.." + c);
        }
        if (partPatches == null || partChannels != count) {
            ConvGeometry g = geometry;
            partGeometry = new ConvGeometry(g.inH(), g.inW(), count, g.outH(), g.outW(), g.kernel(), g.stride(), g.pad());
            partPatches = new Patches(partGeometry, maxBatch);
            partChannels = count;
        }
        // The weights of those channels, [out][kH][kW][count], from the forward pass's [out][kH][kW][c].
        int taps = geometry.kernel() * geometry.kernel();
        int partPatch = taps * count;
        for (int o = 0; o < out; o++) {
            for (int t = 0; t < taps; t++) {
                System.arraycopy(weights, (o * taps + t) * c + first, rearranged, (o * taps + t) * count, count);
            }
        }
        nativeWeightGradient.load(rearranged, out * partPatch);
        partPatches.scatterProduct(nativeOut.pointer(), out, nativeWeightGradient.pointer(), n, inputDelta);
    }

    private void check(int n) {
        if (n < 1 || n > maxBatch) {
            throw new IllegalArgumentException("batch " + n + " outside 1.." + maxBatch);
        }
    }
}
