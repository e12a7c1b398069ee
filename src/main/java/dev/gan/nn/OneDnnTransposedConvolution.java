package dev.gan.nn;

import dev.gan.util.Sgemm;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A {@link TransposedConvolutionKernel} on libnd4j's {@code deconv2d} and {@code deconv2d_bp} ops, oneDNN's in
 * libnd4j's onednn build (see {@link OneDnn}); explicit padding, because with "same" mode libnd4j does not hand
 * them to oneDNN (measured 10 times slower). NHWC, DL4J's weights [in, out, kH, kW] as they are.
 *
 * <p>{@code geometry} is, as for {@link TransposedConvolution}, the convolution this layer is the transpose of.
 */
public final class OneDnnTransposedConvolution implements TransposedConvolutionKernel {

    private final ConvGeometry geometry;
    private final int in;
    private final INDArray weights;        // [in, channels, k, k]
    private final INDArray weightGradient;
    private final INDArray bias;
    private final INDArray biasGradient;
    private final FloatPointer weightValues;
    private final FloatPointer weightGradientValues;
    private final FloatPointer biasValues;
    private final FloatPointer biasGradientValues;
    private final OneDnnPasses passes;
    private int lastBatch = -1;

    public OneDnnTransposedConvolution(ConvGeometry geometry, int in, int maxBatch) {
        this.geometry = geometry;
        this.in = in;
        int k = geometry.kernel();
        weights = Nd4j.create(DataType.FLOAT, in, geometry.channels(), k, k);
        weightGradient = weights.ulike();
        bias = Nd4j.create(DataType.FLOAT, geometry.channels());
        biasGradient = bias.ulike();
        weightValues = Sgemm.pointer(weights);
        weightGradientValues = Sgemm.pointer(weightGradient);
        biasValues = Sgemm.pointer(bias);
        biasGradientValues = Sgemm.pointer(biasGradient);
        passes = new OneDnnPasses("deconv2d", geometry, new long[] {geometry.outH(), geometry.outW(), in},
                new long[] {geometry.inH(), geometry.inW(), geometry.channels()}, maxBatch, weights, bias,
                weightGradient, biasGradient);
    }

    @Override
    public int outputSize(int n) {
        return n * geometry.inputSize();
    }

    @Override
    public void forward(float[] input, int n, ParameterMemory w, ParameterMemory b, float[] result) {
        OneDnn.load(w, weightValues);
        OneDnn.load(b, biasValues);
        passes.forward(input, n, result);
        lastBatch = n;
    }

    @Override
    public void backward(float[] outputDelta, int n, ParameterMemory w, ParameterMemory b, float[] inputDelta) {
        if (n != lastBatch) {
            throw new IllegalStateException("backward on a batch of " + n + " after a forward pass on " + lastBatch);
        }
        passes.backward(outputDelta, n, true, inputDelta);
        OneDnn.storeGradient(weightGradientValues, w);
        OneDnn.storeGradient(biasGradientValues, b);
    }
}
