package dev.gan.nn;

import dev.gan.util.Sgemm;
import org.bytedeco.javacpp.FloatPointer;

import java.util.ArrayList;
import java.util.List;

/**
 * A convolution with DL4J's weight layout [out, in, kH, kW] and a bias, on NHWC activations: forward is the
 * im2col matrix times the weights, plus the bias and a (leaky) ReLU; backward is two sgemms (weight gradient and
 * input gradient) and a col2im. On several threads each pass is split once by images, each range its own rows
 * of the matrix and its own share of the gradients.
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
    /** Each part's bias and weight gradient sums in a split backward pass (part 0: {@link #bias} and its own). */
    private final List<float[]> partBias = new ArrayList<>();
    private final List<NativeFloats> partWeightGradient = new ArrayList<>();
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
        partBias.add(bias);
        partWeightGradient.add(nativeWeightGradient);
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
        int patch = geometry.patch();
        Layouts.tapsLast(w.read(rearranged), out, geometry.channels(), geometry.kernel(), weights);
        nativeWeights.load(weights, out * patch);
        float[] b = biasParam.read(bias);
        // One pass per range of images (matrix rows, product, bias and activation), not one split per step.
        Split.inParts(n, parts(n), (part, first, last) -> {
            int row = geometry.rows(first);
            int rows = geometry.rows(last) - row;
            if (col == null) {
                patches.gatherImages(input, first, last, nativeCol);
            } else {
                patches.gatherImages(input, first, last, col);
                NativeFloats.toNativeInParts(col, row * patch, nativeCol.address() + (long) row * patch * Float.BYTES,
                        rows * patch);
            }
            Sgemm.multiply(false, true, rows, out, patch, 1f, rowsOf(nativeCol, row, patch, rows), patch,
                    nativeWeights.pointer(), patch, 0f, rowsOf(nativeOut, row, out, rows), out);
            NativeFloats.fromNativeInParts(nativeOut.address() + (long) row * out * Float.BYTES, output, row * out,
                    rows * out);
            Layouts.addBiasAndActivate(output, row, rows, b, out, slope);
        });
        lastBatch = n;
    }

    /** Rows [row, row + rows) of a native matrix {@code width} floats wide. */
    private static FloatPointer rowsOf(NativeFloats matrix, int row, int width, int rows) {
        return Sgemm.floats(matrix.address() + (long) row * width * Float.BYTES, (long) rows * width);
    }

    /**
     * From {@code outputDelta} (dLoss/d pre-activation, NHWC) of the last forward pass: the weight and bias
     * gradients (summed over the batch) when {@code w}'s gradient is wanted, and {@code inputDelta} unless null.
     */
    public void backward(float[] outputDelta, int n, ParameterMemory w, ParameterMemory biasParam, boolean parameterGradients,
                         float[] inputDelta) {
        backward(outputDelta, null, 1f, null, n, w, biasParam, parameterGradients, inputDelta);
    }

    /**
     * As {@link #backward(float[], int, ParameterMemory, ParameterMemory, boolean, float[])} from dLoss/d output of
     * the activation the forward pass applied ({@code output} its result, slope as given there, {@code mask} a
     * dropout mask or null): {@code delta} becomes dLoss/d pre-activation, its bias sums taken in the same pass.
     */
    public void backwardThroughActivation(float[] delta, float[] output, float slope, float[] mask, int n,
                                          ParameterMemory w, ParameterMemory biasParam, boolean parameterGradients,
                                          float[] inputDelta) {
        backward(delta, output, slope, mask, n, w, biasParam, parameterGradients, inputDelta);
    }

    /** Both backward passes: through the activation when {@code output} is given, else from the pre-activation. */
    private void backward(float[] delta, float[] output, float slope, float[] mask, int n, ParameterMemory w,
                          ParameterMemory biasParam, boolean parameterGradients, float[] inputDelta) {
        if (n != lastBatch) {
            throw new IllegalStateException("backward on a batch of " + n + " after a forward pass on " + lastBatch);
        }
        int patch = geometry.patch();
        int parts = parts(n);
        growParts(parts);
        if (inputDelta != null) {
            patches.prepareParts(parts);
        }
        // One pass per range of images: the derivative, the delta into native memory, the range's share of the
        // weight and bias gradients (the shares added in part order after) and its input gradient.
        Split.inParts(n, parts, (part, first, last) -> {
            int row = geometry.rows(first);
            int rows = geometry.rows(last) - row;
            if (output == null) {
                if (parameterGradients) {
                    Layouts.columnSums(delta, row, rows, out, partBias.get(part));
                }
            } else if (parameterGradients) {
                Layouts.multiplyByDerivativeAndSum(delta, output, slope, mask, row, rows, out, partBias.get(part));
            } else {
                Layouts.multiplyByDerivative(delta, output, slope, mask, row * out, rows * out);
            }
            NativeFloats.toNativeInParts(delta, row * out, nativeOut.address() + (long) row * out * Float.BYTES,
                    rows * out);
            if (parameterGradients) {
                Sgemm.multiply(true, false, out, patch, rows, 1f, rowsOf(nativeOut, row, out, rows), out,
                        rowsOf(nativeCol, row, patch, rows), patch, 0f, partWeightGradient.get(part).pointer(), patch);
            }
            if (inputDelta != null) {
                patches.scatterProduct(nativeOut.pointer(), out, nativeWeights.pointer(), first, last, part, inputDelta);
            }
        });
        if (parameterGradients) {
            nativeWeightGradient.store(weightGradient, out * patch);
            for (int part = 1; part < parts; part++) {
                float[] partial = partWeightGradient.get(part).store(rearranged, out * patch);
                for (int i = 0; i < out * patch; i++) {
                    weightGradient[i] += partial[i];
                }
                float[] partialBias = partBias.get(part);
                for (int j = 0; j < out; j++) {
                    bias[j] += partialBias[j];
                }
            }
            Layouts.tapsBack(weightGradient, out, geometry.channels(), geometry.kernel(), rearranged);
            w.writeGradient(rearranged);
            biasParam.writeGradient(bias);
        }
    }

    /** How many ranges of images a pass over {@code n} is split into. */
    private int parts(int n) {
        return Split.parts(n, geometry.rows(1) * Math.max(geometry.patch(), out));
    }

    /** Gradient sums for {@code parts} parts of a split backward pass; part 0's are the layer's own. */
    private void growParts(int parts) {
        while (partBias.size() < parts) {
            partBias.add(new float[out]);
            partWeightGradient.add(new NativeFloats((long) out * geometry.patch()));
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
