package dev.gan.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;

/**
 * A {@link ConvolutionKernel} on libnd4j's {@code conv2d} and {@code conv2d_bp} ops, which run oneDNN's
 * convolutions in libnd4j's onednn build (see {@link OneDnn}): NHWC activations, DL4J's weights [out, in, kH, kW]
 * as they are (the ops' weight format 1), explicit padding. The activation and its derivative stay Java passes.
 */
public final class OneDnnConvolution implements ConvolutionKernel {

    private final ConvGeometry geometry;
    private final int out;
    private final int maxBatch;
    private final INDArray weights;        // [out, c, k, k]
    private final INDArray weightGradient;
    private final INDArray bias;           // [out]
    private final INDArray biasGradient;
    private final Map<Integer, Passes> passes = new HashMap<>();
    private int lastBatch = -1;

    public OneDnnConvolution(ConvGeometry geometry, int out, int maxBatch) {
        this.geometry = geometry;
        this.out = out;
        this.maxBatch = maxBatch;
        int k = geometry.kernel();
        weights = Nd4j.create(DataType.FLOAT, out, geometry.channels(), k, k);
        weightGradient = weights.ulike();
        bias = Nd4j.create(DataType.FLOAT, out);
        biasGradient = bias.ulike();
    }

    @Override
    public int outputSize(int n) {
        return geometry.rows(n) * out;
    }

    @Override
    public void forward(float[] in, int n, ParameterMemory w, ParameterMemory b, float slope, float[] result) {
        Passes p = passes(n);
        OneDnn.load(in, n * geometry.inputSize(), p.input);
        OneDnn.load(w, weights);
        OneDnn.load(b, bias);
        Nd4j.exec(p.forward());
        int size = outputSize(n);
        OneDnn.store(p.output(), result, size);
        Layouts.activate(result, size, slope);
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
        Passes p = passes(n);
        OneDnn.load(delta, size, p.output);
        Nd4j.exec(p.backward());
        if (parameterGradients) {
            OneDnn.storeGradient(weightGradient, w);
            OneDnn.storeGradient(biasGradient, b);
        }
        if (inputDelta != null) {
            OneDnn.store(p.inputGradient(), inputDelta, n * geometry.inputSize());
        }
    }

    /**
     * The ops and arrays for a batch of {@code n}, made once per batch size (the D step's 2n examples, G's n): ops
     * on views of larger arrays measured wrong for the transposed convolution, so each size has its own.
     */
    private Passes passes(int n) {
        if (n < 1 || n > maxBatch) {
            throw new IllegalArgumentException("batch " + n + " outside 1.." + maxBatch);
        }
        return passes.computeIfAbsent(n, this::newPasses);
    }

    private Passes newPasses(int n) {
        INDArray x = Nd4j.create(DataType.FLOAT, n, geometry.inH(), geometry.inW(), geometry.channels());
        INDArray y = Nd4j.create(DataType.FLOAT, n, geometry.outH(), geometry.outW(), out);
        INDArray dx = x.ulike();
        int k = geometry.kernel();
        int s = geometry.stride();
        int p = geometry.pad();
        // kH, kW, sH, sW, pH, pW, dH, dW, same mode (0: explicit padding), NHWC (1), weights [out, in, kH, kW] (1)
        int[] args = {k, k, s, s, p, p, 1, 1, 0, 1, 1};
        DynamicCustomOp forward = DynamicCustomOp.builder("conv2d").addInputs(x, weights, bias).addOutputs(y)
                .addIntegerArguments(args).build();
        DynamicCustomOp backward = DynamicCustomOp.builder("conv2d_bp").addInputs(x, weights, bias, y)
                .addOutputs(dx, weightGradient, biasGradient).addIntegerArguments(args).build();
        return new Passes(x, y, dx, forward, backward);
    }

    /** A batch size's input, output (then dLoss/d output), input gradient, and the ops on them. */
    private record Passes(INDArray input, INDArray output, INDArray inputGradient, DynamicCustomOp forward,
                          DynamicCustomOp backward) {
    }
}
