package dev.gan.nn;

import dev.gan.util.Sgemm;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A {@link ConvolutionKernel} on libnd4j's {@code conv2d} and {@code conv2d_bp} ops, which run oneDNN's
 * convolutions in libnd4j's onednn build (see {@link OneDnn}): NHWC activations, DL4J's weights [out, in, kH, kW]
 * as they are, explicit padding. The activation and its derivative stay Java passes.
 */
public final class OneDnnConvolution implements ConvolutionKernel {

    private final ConvGeometry geometry;
    private final int out;
    private final INDArray weights;        // [out, c, k, k]
    private final INDArray weightGradient;
    private final INDArray bias;           // [out]
    private final INDArray biasGradient;
    private final FloatPointer weightValues;
    private final FloatPointer weightGradientValues;
    private final FloatPointer biasValues;
    private final FloatPointer biasGradientValues;
    private final OneDnnPasses passes;
    private int lastBatch = -1;

    public OneDnnConvolution(ConvGeometry geometry, int out, int maxBatch) {
        this.geometry = geometry;
        this.out = out;
        int k = geometry.kernel();
        weights = Nd4j.create(DataType.FLOAT, out, geometry.channels(), k, k);
        weightGradient = weights.ulike();
        bias = Nd4j.create(DataType.FLOAT, out);
        biasGradient = bias.ulike();
        weightValues = Sgemm.pointer(weights);
        weightGradientValues = Sgemm.pointer(weightGradient);
        biasValues = Sgemm.pointer(bias);
        biasGradientValues = Sgemm.pointer(biasGradient);
        passes = new OneDnnPasses("conv2d", geometry,
                new long[] {geometry.inH(), geometry.inW(), geometry.channels()},
                new long[] {geometry.outH(), geometry.outW(), out}, maxBatch, weights, bias, weightGradient, biasGradient);
    }

    @Override
    public int outputSize(int n) {
        return geometry.rows(n) * out;
    }

    @Override
    public void forward(float[] in, int n, ParameterMemory w, ParameterMemory b, float slope, float[] result) {
        OneDnn.load(w, weightValues);
        OneDnn.load(b, biasValues);
        passes.forward(in, n, result);
        Layouts.activate(result, outputSize(n), slope);
        lastBatch = n;
    }

    @Override
    public void backwardThroughActivation(float[] delta, float[] activation, float slope, float[] mask, int n,
                                          ParameterMemory w, ParameterMemory b, boolean parameterGradients,
                                          float[] inputDelta) {
        if (n != lastBatch) {
            throw new IllegalStateException("backward on a batch of " + n + " after a forward pass on " + lastBatch);
        }
        int size = outputSize(n);
        Layouts.multiplyByDerivative(delta, activation, slope, mask, size);
        if (!parameterGradients && inputDelta == null) {
            return;
        }
        passes.backward(delta, n, parameterGradients, inputDelta);
        if (parameterGradients) {
            OneDnn.storeGradient(weightGradientValues, w);
            OneDnn.storeGradient(biasGradientValues, b);
        }
    }
}
