package dev.gan.nn;

/**
 * A strided convolution with a bias and a fused activation f(v) = max(v, slope v), on NHWC float arrays with
 * DL4J's parameter layouts, however it is computed: {@link Convolution} (im2col and OpenBLAS) or
 * {@link OneDnnConvolution} (libnd4j's oneDNN ops).
 */
public interface ConvolutionKernel {

    /** Output floats of {@code n} images. */
    int outputSize(int n);

    /** {@code output} = f(conv(input) + bias) for {@code n} NHWC images. */
    void forward(float[] input, int n, ParameterMemory w, ParameterMemory bias, float slope, float[] output);

    /**
     * Backward from dLoss/d output of the last forward pass ({@code delta}, which becomes dLoss/d pre-activation;
     * {@code output} is that pass's output, {@code mask} a dropout mask applied after it or null): the weight and
     * bias gradients (summed over the batch) when {@code parameterGradients}, and {@code inputDelta} unless null.
     */
    void backwardThroughActivation(float[] delta, float[] output, float slope, float[] mask, int n, ParameterMemory w,
                                   ParameterMemory bias, boolean parameterGradients, float[] inputDelta);
}
