package dev.gan.nn;

/**
 * A transposed convolution with a bias on NHWC float arrays with DL4J's Deconvolution2D weight layout, however it
 * is computed: {@link TransposedConvolution} (sgemm and col2im) or {@link OneDnnTransposedConvolution}.
 */
public interface TransposedConvolutionKernel {

    /** Output floats of {@code n} images. */
    int outputSize(int n);

    /** {@code output} = the transposed convolution of {@code input} ({@code n} NHWC images) + bias. */
    void forward(float[] input, int n, ParameterMemory w, ParameterMemory bias, float[] output);

    /** Gradients (summed over the batch) and {@code inputDelta} from {@code outputDelta} of the last forward pass. */
    void backward(float[] outputDelta, int n, ParameterMemory w, ParameterMemory bias, float[] inputDelta);
}
