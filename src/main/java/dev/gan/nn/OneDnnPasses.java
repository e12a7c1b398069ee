package dev.gan.nn;

import dev.gan.util.Sgemm;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;

/**
 * The libnd4j ops of a oneDNN layer ({@code conv2d} or {@code deconv2d} and its {@code _bp}) for each batch size,
 * made on first use: arrays for the input, the output (then dLoss/d output) and the input gradient, and the two
 * ops on them with the layer's weight and bias arrays. Ops on views of larger arrays measured wrong for the
 * transposed convolution, so each batch size (the D step's 2n examples, G's n) has arrays of its own.
 */
final class OneDnnPasses {

    /**
     * One batch size's ops, and pointers to their arrays made once (a pointer per copy was garbage every
     * iteration); the ops hold the arrays themselves.
     */
    record Batch(FloatPointer input, FloatPointer output, FloatPointer inputGradient, DynamicCustomOp forward,
                 DynamicCustomOp backward) {
    }

    private final String op;
    private final ConvGeometry geometry;
    private final long[] inputShape;   // of one image, NHWC
    private final long[] outputShape;
    private final int maxBatch;
    private final INDArray[] parameters; // weights, bias, their gradients
    private final Map<Integer, Batch> batches = new HashMap<>();

    /**
     * {@code op} is "conv2d" or "deconv2d"; {@code geometry} gives kernel, stride and padding; the weights are in
     * DL4J's layout, the ops' weight format 1.
     */
    OneDnnPasses(String op, ConvGeometry geometry, long[] inputShape, long[] outputShape, int maxBatch,
                 INDArray weights, INDArray bias, INDArray weightGradient, INDArray biasGradient) {
        this.op = op;
        this.geometry = geometry;
        this.inputShape = inputShape;
        this.outputShape = outputShape;
        this.maxBatch = maxBatch;
        this.parameters = new INDArray[] {weights, bias, weightGradient, biasGradient};
    }

    Batch forBatch(int n) {
        if (n < 1 || n > maxBatch) {
            throw new IllegalArgumentException("batch " + n + " outside 1.." + maxBatch);
        }
        return batches.computeIfAbsent(n, this::newBatch);
    }

    private Batch newBatch(int n) {
        INDArray x = Nd4j.create(DataType.FLOAT, withBatch(n, inputShape));
        INDArray y = Nd4j.create(DataType.FLOAT, withBatch(n, outputShape));
        INDArray dx = x.ulike();
        int k = geometry.kernel();
        int s = geometry.stride();
        int p = geometry.pad();
        // kH, kW, sH, sW, pH, pW, dH, dW, same mode (0: explicit padding; libnd4j keeps "same" from oneDNN),
        // NHWC (1), weights in DL4J's layout (1)
        int[] args = {k, k, s, s, p, p, 1, 1, 0, 1, 1};
        DynamicCustomOp forward = DynamicCustomOp.builder(op).addInputs(x, parameters[0], parameters[1])
                .addOutputs(y).addIntegerArguments(args).build();
        DynamicCustomOp backward = DynamicCustomOp.builder(op + "_bp")
                .addInputs(x, parameters[0], parameters[1], y)
                .addOutputs(dx, parameters[2], parameters[3]).addIntegerArguments(args).build();
        return new Batch(Sgemm.pointer(x), Sgemm.pointer(y), Sgemm.pointer(dx), forward, backward);
    }

    private static long[] withBatch(int n, long[] shape) {
        return new long[] {n, shape[0], shape[1], shape[2]};
    }
}
