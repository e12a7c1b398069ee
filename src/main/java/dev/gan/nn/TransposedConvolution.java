package dev.gan.nn;

import dev.gan.util.Sgemm;

/**
 * A transposed convolution with DL4J's Deconvolution2D weight layout [in, out, kH, kW] and a bias, on NHWC
 * activations: the adjoint of a {@link Convolution} whose input is this layer's output. Forward is one sgemm
 * (input times weights gives every tap's contribution) and a col2im; backward is an im2col of the output delta
 * and two sgemms.
 *
 * <p>{@code geometry} describes the convolution this layer is the transpose of: its input is this layer's
 * output ({@code out} channels) and its output positions are this layer's input pixels. The last forward
 * pass's input stays in native memory for the next backward pass's weight gradient.
 */
public final class TransposedConvolution implements TransposedConvolutionKernel {

    private final ConvGeometry geometry;
    private final Patches patches;
    private final int in;
    private final int maxBatch;
    private final float[] col;
    private final float[] weights;          // [in, kH, kW, out]
    private final float[] weightGradient;
    private final float[] rearranged;
    private final float[] bias;             // the bias, then its gradient
    private final NativeFloats nativeInput;
    private final NativeFloats nativeWeights;
    private final NativeFloats nativeCol;
    private final NativeFloats nativeInputDelta;
    private final NativeFloats nativeWeightGradient;
    private int lastBatch = -1;

    public TransposedConvolution(ConvGeometry geometry, int in, int maxBatch) {
        this.geometry = geometry;
        this.patches = new Patches(geometry, maxBatch);
        this.in = in;
        this.maxBatch = maxBatch;
        int patch = geometry.patch();
        long rows = geometry.rows(maxBatch);
        // The Java copy of the matrix only for short runs (see Patches.longRuns); long ones go straight to native.
        col = patches.longRuns() ? null : new float[Math.toIntExact(rows * patch)];
        weights = new float[in * patch];
        weightGradient = new float[in * patch];
        rearranged = new float[in * patch];
        bias = new float[geometry.channels()];
        nativeInput = new NativeFloats(rows * in);
        nativeWeights = new NativeFloats((long) in * patch);
        nativeCol = new NativeFloats(rows * patch);
        nativeInputDelta = new NativeFloats(rows * in);
        nativeWeightGradient = new NativeFloats((long) in * patch);
    }

    /** Output floats of {@code n} images. */
    public int outputSize(int n) {
        return n * geometry.inputSize();
    }

    /** {@code output} (NHWC) = the transposed convolution of {@code input} (NHWC, {@code in} channels) + bias. */
    public void forward(float[] input, int n, ParameterMemory w, ParameterMemory biasParam, float[] output) {
        if (n < 1 || n > maxBatch) {
            throw new IllegalArgumentException("batch " + n + " outside 1.." + maxBatch);
        }
        int rows = geometry.rows(n);
        int patch = geometry.patch();
        nativeInput.load(input, rows * in);
        Layouts.tapsLast(w.read(rearranged), in, geometry.channels(), geometry.kernel(), weights);
        nativeWeights.load(weights, in * patch);
        patches.scatterProduct(nativeInput.pointer(), in, nativeWeights.pointer(), n, output);
        Layouts.addBias(output, n * geometry.inH() * geometry.inW(), biasParam.read(bias), geometry.channels());
        lastBatch = n;
    }

    /** Gradients (summed over the batch) and {@code inputDelta} from {@code outputDelta} of the last forward pass. */
    public void backward(float[] outputDelta, int n, ParameterMemory w, ParameterMemory biasParam, float[] inputDelta) {
        if (n != lastBatch) {
            throw new IllegalStateException("backward on a batch of " + n + " after a forward pass on " + lastBatch);
        }
        int rows = geometry.rows(n);
        int patch = geometry.patch();
        int outChannels = geometry.channels();
        biasParam.writeGradient(Layouts.columnSums(outputDelta, n * geometry.inH() * geometry.inW(), outChannels, bias));
        if (col == null) {
            patches.gather(outputDelta, n, nativeCol);
        } else {
            patches.gather(outputDelta, n, col);
            nativeCol.load(col, rows * patch);
        }
        Sgemm.multiply(true, false, in, patch, rows, 1f, nativeInput.pointer(), in, nativeCol.pointer(), patch, 0f,
                nativeWeightGradient.pointer(), patch);
        nativeWeightGradient.store(weightGradient, in * patch);
        Layouts.tapsBack(weightGradient, in, outChannels, geometry.kernel(), rearranged);
        w.writeGradient(rearranged);
        if (inputDelta != null) {
            Sgemm.multiply(false, true, rows, in, patch, 1f, nativeCol.pointer(), patch, nativeWeights.pointer(), patch,
                    0f, nativeInputDelta.pointer(), in);
            nativeInputDelta.store(inputDelta, rows * in);
        }
    }
}
