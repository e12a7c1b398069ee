package dev.gan.nn;

import dev.gan.util.Parallel;
import dev.gan.util.Sgemm;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The libnd4j ops of a oneDNN layer ({@code conv2d} or {@code deconv2d} and its {@code _bp}) for each batch size,
 * made on first use: arrays for the input, the output (then dLoss/d output) and the input gradient, and the two
 * ops on them with the layer's weight and bias arrays. Ops on views of larger arrays measured wrong for the
 * transposed convolution, so each batch size (the D step's 2n examples, G's n) has arrays of its own.
 *
 * <p>On several threads a batch is split by images, each part one oneDNN call on one OpenMP thread with arrays of
 * its own (its own weight gradients too, added in part order after): oneDNN's own two-thread convolutions gained
 * 1.3-1.45x here, and every call woke OpenMP's sleeping threads.
 */
final class OneDnnPasses {

    /**
     * One batch size's ops, and pointers to their arrays made once (a pointer per copy was garbage every
     * iteration); the ops hold the arrays themselves.
     */
    record Batch(FloatPointer input, FloatPointer output, FloatPointer inputGradient, DynamicCustomOp forward,
                 DynamicCustomOp backward) {
    }

    /** A pass over images [from, to) of a batch with that part's ops. */
    interface PartPass {
        void run(Batch batch, int from, int to);
    }

    /** A batch is split only where each part gets this many images; a smaller one runs whole, on OpenMP's threads. */
    static final int MIN_IMAGES_PER_PART = 4;

    private static final NativeOps NATIVE = NativeOpsHolder.getInstance().getDeviceNativeOps();

    private final String op;
    private final ConvGeometry geometry;
    private final long[] inputShape;   // of one image, NHWC
    private final long[] outputShape;
    private final int maxBatch;
    private final INDArray weights;
    private final INDArray bias;
    /** Weight and bias gradients of each part; part 0's are the layer's own. */
    private final List<INDArray[]> gradients = new ArrayList<>();
    private final Map<Long, Batch> batches = new HashMap<>();
    /**
     * Whether gan adds the bias after the forward op instead of the op: libnd4j's deconv2d has oneDNN add it in a
     * reference loop (a typed load and store per element: 4% of a DCGAN iteration's profile), the same single
     * float addition.
     */
    private final boolean biasAfterForward;
    private final float[] biasValues;

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
        this.weights = weights;
        this.bias = bias;
        this.biasAfterForward = op.equals("deconv2d");
        this.biasValues = new float[Math.toIntExact(bias.length())];
        gradients.add(new INDArray[] {weightGradient, biasGradient});
    }

    /** How many parts a batch of {@code n} is split into. */
    private int parts(int n) {
        return Math.max(1, Math.min(Parallel.parts(), n / MIN_IMAGES_PER_PART));
    }

    /**
     * Runs {@code pass} over a batch of {@code n} in {@link #parts} parts, each with its own arrays; a split
     * batch's parts run on one OpenMP thread each.
     */
    private void inParts(int n, PartPass pass) {
        int parts = parts(n);
        if (parts == 1) {
            pass.run(forBatch(n, 0), 0, n);
            return;
        }
        for (int part = 0; part < parts; part++) {
            forBatch(to(n, part + 1, parts) - to(n, part, parts), part);   // made here, not on the workers
        }
        Parallel.run(parts, part -> {
            int from = to(n, part, parts);
            int to = to(n, part + 1, parts);
            Batch batch = forBatch(to - from, part);
            int openMp = NATIVE.ompGetMaxThreads();
            NATIVE.setOmpNumThreads(1);
            try {
                pass.run(batch, from, to);
            } finally {
                NATIVE.setOmpNumThreads(openMp);
            }
        });
    }

    /** The forward op over a batch of {@code n}: {@code input}'s images (NHWC) into {@code output}'s. */
    void forward(float[] input, int n, float[] output) {
        int inSize = floats(inputShape);
        int outSize = floats(outputShape);
        if (biasAfterForward) {
            Sgemm.pointer(bias).get(biasValues);
        }
        inParts(n, (p, from, to) -> {
            OneDnn.load(input, from * inSize, (to - from) * inSize, p.input());
            Nd4j.exec(p.forward());
            OneDnn.store(p.output(), output, from * outSize, (to - from) * outSize);
            if (biasAfterForward) {
                addBias(output, from * outSize, to * outSize);
            }
        });
    }

    /** output[i] += bias of i's channel, for the NHWC elements [from, to) (whole pixels). */
    private void addBias(float[] output, int from, int to) {
        int channels = biasValues.length;
        for (int pixel = from; pixel < to; pixel += channels) {
            for (int c = 0; c < channels; c++) {
                output[pixel + c] += biasValues[c];
            }
        }
    }

    /**
     * The backward op over the batch of the last {@link #forward}, from {@code outputDelta} (dLoss/d output):
     * {@code inputDelta} unless null, and with {@code gradients} the weight and bias gradients into the layer's
     * arrays (the parts' added).
     */
    void backward(float[] outputDelta, int n, boolean gradients, float[] inputDelta) {
        int inSize = floats(inputShape);
        int outSize = floats(outputShape);
        inParts(n, (p, from, to) -> {
            OneDnn.load(outputDelta, from * outSize, (to - from) * outSize, p.output());
            Nd4j.exec(p.backward());
            if (inputDelta != null) {
                OneDnn.store(p.inputGradient(), inputDelta, from * inSize, (to - from) * inSize);
            }
        });
        if (gradients) {
            addGradients(parts(n));
        }
    }

    private static int floats(long[] shape) {
        return Math.toIntExact(shape[0] * shape[1] * shape[2]);
    }

    /**
     * After a backward pass split in {@code parts} parts: the parts' weight and bias gradients added, in part order,
     * into part 0's (the layer's own).
     */
    private void addGradients(int parts) {
        INDArray[] total = gradients.get(0);
        for (int part = 1; part < parts; part++) {
            INDArray[] partial = gradients.get(part);
            for (int i = 0; i < total.length; i++) {
                add(partial[i], total[i]);
            }
        }
    }

    /** to += from, elementwise, split over the threads (each element one addition: the same bits on any count). */
    private static void add(INDArray from, INDArray to) {
        long x = Sgemm.address(from);
        long y = Sgemm.address(to);
        Split.byRows(Math.toIntExact(to.length()), 1, (first, last) -> openblas_nolapack.cblas_saxpy(last - first, 1f,
                Sgemm.floats(x + (long) first * Float.BYTES, last - first), 1,
                Sgemm.floats(y + (long) first * Float.BYTES, last - first), 1));
    }

    private static int to(int n, int part, int parts) {
        return (int) ((long) n * part / parts);
    }

    private Batch forBatch(int n, int part) {
        if (n < 1 || n > maxBatch) {
            throw new IllegalArgumentException("batch " + n + " outside 1.." + maxBatch);
        }
        synchronized (batches) {
            return batches.computeIfAbsent(((long) part << 32) | n, key -> newBatch(n, part));
        }
    }

    private Batch newBatch(int n, int part) {
        while (gradients.size() <= part) {
            INDArray[] first = gradients.get(0);
            gradients.add(new INDArray[] {first[0].ulike(), first[1].ulike()});
        }
        INDArray[] gradient = gradients.get(part);
        INDArray x = Nd4j.create(DataType.FLOAT, withBatch(n, inputShape));
        INDArray y = Nd4j.create(DataType.FLOAT, withBatch(n, outputShape));
        INDArray dx = x.ulike();
        int k = geometry.kernel();
        int s = geometry.stride();
        int p = geometry.pad();
        // kH, kW, sH, sW, pH, pW, dH, dW, same mode (0: explicit padding; libnd4j keeps "same" from oneDNN),
        // NHWC (1), weights in DL4J's layout (1)
        int[] args = {k, k, s, s, p, p, 1, 1, 0, 1, 1};
        DynamicCustomOp forward = (biasAfterForward ? DynamicCustomOp.builder(op).addInputs(x, weights)
                : DynamicCustomOp.builder(op).addInputs(x, weights, bias)).addOutputs(y).addIntegerArguments(args).build();
        DynamicCustomOp backward = DynamicCustomOp.builder(op + "_bp")
                .addInputs(x, weights, bias, y)
                .addOutputs(dx, gradient[0], gradient[1]).addIntegerArguments(args).build();
        return new Batch(Sgemm.pointer(x), Sgemm.pointer(y), Sgemm.pointer(dx), forward, backward);
    }

    private static long[] withBatch(int n, long[] shape) {
        return new long[] {n, shape[0], shape[1], shape[2]};
    }
}
