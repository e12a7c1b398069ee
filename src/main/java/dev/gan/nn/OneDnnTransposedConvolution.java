package dev.gan.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;

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
    private final int maxBatch;
    private final INDArray weights;        // [in, channels, k, k]
    private final INDArray weightGradient;
    private final INDArray bias;
    private final INDArray biasGradient;
    private final Map<Integer, Passes> passes = new HashMap<>();
    private int lastBatch = -1;

    public OneDnnTransposedConvolution(ConvGeometry geometry, int in, int maxBatch) {
        this.geometry = geometry;
        this.in = in;
        this.maxBatch = maxBatch;
        int k = geometry.kernel();
        weights = Nd4j.create(DataType.FLOAT, in, geometry.channels(), k, k);
        weightGradient = weights.ulike();
        bias = Nd4j.create(DataType.FLOAT, geometry.channels());
        biasGradient = bias.ulike();
    }

    @Override
    public int outputSize(int n) {
        return n * geometry.inputSize();
    }

    @Override
    public void forward(float[] in, int n, ParameterMemory w, ParameterMemory b, float[] result) {
        Passes p = passes(n);
        OneDnn.load(in, geometry.rows(n) * this.in, p.input());
        OneDnn.load(w, weights);
        OneDnn.load(b, bias);
        Nd4j.exec(p.forward());
        OneDnn.store(p.output(), result, outputSize(n));
        lastBatch = n;
    }

    @Override
    public void backward(float[] outputDelta, int n, ParameterMemory w, ParameterMemory b, float[] inputDelta) {
        if (n != lastBatch) {
            throw new IllegalStateException("backward on a batch of " + n + " after a forward pass on " + lastBatch);
        }
        Passes p = passes(n);
        OneDnn.load(outputDelta, outputSize(n), p.output());
        Nd4j.exec(p.backward());
        OneDnn.storeGradient(weightGradient, w);
        OneDnn.storeGradient(biasGradient, b);
        if (inputDelta != null) {
            OneDnn.store(p.inputGradient(), inputDelta, geometry.rows(n) * in);
        }
    }

    /** The ops and arrays for a batch of {@code n}, made once per batch size (see OneDnnConvolution#passes). */
    private Passes passes(int n) {
        if (n < 1 || n > maxBatch) {
            throw new IllegalArgumentException("batch " + n + " outside 1.." + maxBatch);
        }
        return passes.computeIfAbsent(n, this::newPasses);
    }

    private Passes newPasses(int n) {
        INDArray x = Nd4j.create(DataType.FLOAT, n, geometry.outH(), geometry.outW(), in);
        INDArray y = Nd4j.create(DataType.FLOAT, n, geometry.inH(), geometry.inW(), geometry.channels());
        INDArray dx = x.ulike();
        int k = geometry.kernel();
        int s = geometry.stride();
        int p = geometry.pad();
        // kH, kW, sH, sW, pH, pW, dH, dW, same mode (0: explicit padding), NHWC (1), weights [in, out, kH, kW] (1)
        int[] args = {k, k, s, s, p, p, 1, 1, 0, 1, 1};
        DynamicCustomOp forward = DynamicCustomOp.builder("deconv2d").addInputs(x, weights, bias).addOutputs(y)
                .addIntegerArguments(args).build();
        DynamicCustomOp backward = DynamicCustomOp.builder("deconv2d_bp").addInputs(x, weights, bias, y)
                .addOutputs(dx, weightGradient, biasGradient).addIntegerArguments(args).build();
        return new Passes(x, y, dx, forward, backward);
    }

    /** A batch size's input, output (then dLoss/d output), input gradient, and the ops on them. */
    private record Passes(INDArray input, INDArray output, INDArray inputGradient, DynamicCustomOp forward,
                          DynamicCustomOp backward) {
    }
}
