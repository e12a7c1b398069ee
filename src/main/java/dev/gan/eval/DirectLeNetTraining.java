package dev.gan.eval;

import dev.gan.model.GraphMemory;
import dev.gan.nn.ConvGeometry;
import dev.gan.nn.Convolution;
import dev.gan.nn.Layouts;
import dev.gan.nn.MaxPool;
import dev.gan.nn.NativeFloats;
import dev.gan.nn.ParameterMemory;
import dev.gan.optim.ParameterUpdate;
import dev.gan.util.Sgemm;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import java.util.Optional;

/**
 * One training step of the digit classifier ({@link DigitClassifier#create}'s LeNet) written out over the
 * graph's parameter and gradient memory: the convolutions as im2col + sgemm on channels-last arrays, max
 * pooling, the dense layers as sgemm, softmax cross-entropy, then Adam through {@link ParameterUpdate} - what
 * {@code graph.fit} computes, without DL4J's per-layer im2col copies (measured 205 ms a batch of 64 there).
 */
final class DirectLeNetTraining {

    private final ComputationGraph graph;
    private final ParameterUpdate update;
    private final int batch;
    private final int classes;
    private final int features;
    private final int flat;               // pool2's outputs per image
    private final int pooledChannels;
    private final int pooledPixels;
    private final Convolution conv1;
    private final Convolution conv2;
    private final MaxPool pool1;
    private final MaxPool pool2;
    private final ParameterMemory conv1W;
    private final ParameterMemory conv1B;
    private final ParameterMemory conv2W;
    private final ParameterMemory conv2B;
    private final ParameterMemory featuresW;
    private final ParameterMemory featuresB;
    private final ParameterMemory outputW;
    private final ParameterMemory outputB;
    private final NativeFloats nativeFlat;
    private final NativeFloats nativeHidden;
    private final NativeFloats nativeLogits;
    private final float[] images;
    private final float[] act1;
    private final float[] pooled1;
    private final float[] act2;
    private final float[] pooled2;
    private final float[] flatInput;      // DL4J's flattening: per image [C][h*w]
    private final float[] hidden;
    private final float[] logits;
    private final float[] targets;
    private final float[] hiddenDelta;
    private final float[] flatDelta;
    private final float[] pooled2Delta;
    private final float[] act2Delta;
    private final float[] pooled1Delta;
    private final float[] act1Delta;
    private final float[] bias;

    private DirectLeNetTraining(ComputationGraph graph, ParameterUpdate update, int batch, int rows, int cols,
                                ConvolutionLayer c1, ConvolutionLayer c2, int pool) {
        this.graph = graph;
        this.update = update;
        this.batch = batch;
        ConvGeometry g1 = valid(rows, cols, 1, c1);
        conv1 = new Convolution(g1, (int) c1.getNOut(), batch);
        pool1 = new MaxPool(g1.outH(), g1.outW(), (int) c1.getNOut(), pool, batch);
        ConvGeometry g2 = valid(g1.outH() / pool, g1.outW() / pool, (int) c1.getNOut(), c2);
        conv2 = new Convolution(g2, (int) c2.getNOut(), batch);
        pool2 = new MaxPool(g2.outH(), g2.outW(), (int) c2.getNOut(), pool, batch);
        pooledChannels = (int) c2.getNOut();
        pooledPixels = (g2.outH() / pool) * (g2.outW() / pool);
        flat = pooledChannels * pooledPixels;
        conv1W = GraphMemory.parameter(graph, "conv1", "W");
        conv1B = GraphMemory.parameter(graph, "conv1", "b");
        conv2W = GraphMemory.parameter(graph, "conv2", "W");
        conv2B = GraphMemory.parameter(graph, "conv2", "b");
        featuresW = GraphMemory.parameter(graph, DigitClassifier.FEATURES, "W");
        featuresB = GraphMemory.parameter(graph, DigitClassifier.FEATURES, "b");
        outputW = GraphMemory.parameter(graph, DigitClassifier.OUTPUT, "W");
        outputB = GraphMemory.parameter(graph, DigitClassifier.OUTPUT, "b");
        features = featuresB.length();
        classes = outputB.length();
        nativeFlat = new NativeFloats((long) batch * flat);
        nativeHidden = new NativeFloats((long) batch * features);
        nativeLogits = new NativeFloats((long) batch * classes);
        images = new float[batch * rows * cols];
        act1 = new float[conv1.outputSize(batch)];
        pooled1 = new float[pool1.outputSize(batch)];
        act2 = new float[conv2.outputSize(batch)];
        pooled2 = new float[pool2.outputSize(batch)];
        flatInput = new float[batch * flat];
        hidden = new float[batch * features];
        logits = new float[batch * classes];
        targets = new float[batch * classes];
        hiddenDelta = new float[batch * features];
        flatDelta = new float[batch * flat];
        pooled2Delta = new float[pooled2.length];
        act2Delta = new float[act2.length];
        pooled1Delta = new float[pooled1.length];
        act1Delta = new float[act1.length];
        bias = new float[Math.max(Math.max(features, classes), Math.max((int) c1.getNOut(), (int) c2.getNOut()))];
    }

    /**
     * The direct step for {@code graph} at this batch size, or empty when the graph is not the classifier's own
     * layout on the CPU backend with plain Adam (DL4J's fit is used then).
     */
    static Optional<DirectLeNetTraining> of(ComputationGraph graph, int batch) {
        if (!Nd4j.getEnvironment().isCPU() || !NativeLeNetForward.isLeNet(graph)) {
            return Optional.empty();
        }
        var vertices = graph.getConfiguration().getVertices();
        var input = (FeedForwardToCnnPreProcessor) ((LayerVertex) vertices.get("conv1")).getPreProcessor();
        var c1 = (ConvolutionLayer) ((LayerVertex) vertices.get("conv1")).getLayerConf().getLayer();
        var p1 = (SubsamplingLayer) ((LayerVertex) vertices.get("pool1")).getLayerConf().getLayer();
        var c2 = (ConvolutionLayer) ((LayerVertex) vertices.get("conv2")).getLayerConf().getLayer();
        var p2 = (SubsamplingLayer) ((LayerVertex) vertices.get("pool2")).getLayerConf().getLayer();
        int pool = p1.getKernelSize()[0];
        boolean squarePools = p1.getKernelSize()[1] == pool && p1.getStride()[0] == pool && p1.getStride()[1] == pool
                && p2.getKernelSize()[0] == pool && p2.getKernelSize()[1] == pool && p2.getStride()[0] == pool
                && p2.getStride()[1] == pool;
        boolean squareKernels = c1.getKernelSize()[0] == c1.getKernelSize()[1] && c1.getStride()[0] == c1.getStride()[1]
                && c2.getKernelSize()[0] == c2.getKernelSize()[1] && c2.getStride()[0] == c2.getStride()[1];
        var output = ((LayerVertex) vertices.get(DigitClassifier.OUTPUT)).getLayerConf().getLayer();
        ParameterUpdate update = ParameterUpdate.of(graph);
        if (!squarePools || !squareKernels || !(output instanceof OutputLayer out && out.getLossFn() instanceof LossMCXENT)
                || !update.direct()) {
            return Optional.empty();
        }
        return Optional.of(new DirectLeNetTraining(graph, update, batch, (int) input.getInputHeight(),
                (int) input.getInputWidth(), c1, c2, pool));
    }

    private static ConvGeometry valid(int h, int w, int channels, ConvolutionLayer c) {
        int k = c.getKernelSize()[0];
        int s = c.getStride()[0];
        return new ConvGeometry(h, w, channels, (h - k) / s + 1, (w - k) / s + 1, k, s, 0);
    }

    /**
     * One Adam step on a batch: {@code pixels} holds the images (flat rows) and {@code labels} their classes.
     * Returns the batch's mean cross-entropy. The graph's iteration count moves on as {@code fit} moves it.
     */
    double fit(float[] pixels, int[] labels, int epoch) {
        int n = batch;
        System.arraycopy(pixels, 0, images, 0, images.length);
        // Forward. One input channel: the flat image is already NHWC.
        conv1.forward(images, n, conv1W, conv1B, 0f, act1);
        pool1.forward(act1, n, pooled1);
        conv2.forward(pooled1, n, conv2W, conv2B, 0f, act2);
        pool2.forward(act2, n, pooled2);
        Layouts.transpose(pooled2, n, pooledChannels, pooledPixels, flatInput, false);
        dense(flatInput, flat, featuresW, featuresB, features, 0f, nativeFlat, nativeHidden, hidden);
        dense(hidden, features, outputW, outputB, classes, 1f, nativeHidden, nativeLogits, logits);
        // Softmax cross-entropy: the gradient per example is p - y (summed; the update divides by n).
        double loss = 0;
        java.util.Arrays.fill(targets, 0f);
        for (int i = 0; i < n; i++) {
            int row = i * classes;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) {
                max = Math.max(max, logits[row + j]);
            }
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                sum += Math.exp(logits[row + j] - max);
            }
            for (int j = 0; j < classes; j++) {
                logits[row + j] = (float) (Math.exp(logits[row + j] - max) / sum);
            }
            loss -= Math.log(Math.max(logits[row + labels[i]], 1e-30f));
            logits[row + labels[i]] -= 1f;
        }
        // Backward.
        float[] outputDelta = logits;
        denseBackward(outputDelta, classes, hidden, features, outputW, outputB, nativeLogits, nativeHidden, hiddenDelta);
        Layouts.multiplyByDerivative(hiddenDelta, hidden, 0f, null, n * features);
        denseBackward(hiddenDelta, features, flatInput, flat, featuresW, featuresB, nativeHidden, nativeFlat, flatDelta);
        Layouts.transpose(flatDelta, n, pooledChannels, pooledPixels, pooled2Delta, true);
        pool2.backward(pooled2Delta, n, act2Delta);
        conv2.backwardThroughActivation(act2Delta, act2, 0f, null, n, conv2W, conv2B, true, pooled1Delta);
        pool1.backward(pooled1Delta, n, act1Delta);
        conv1.backwardThroughActivation(act1Delta, act1, 0f, null, n, conv1W, conv1B, true, null);
        int iteration = graph.getConfiguration().getIterationCount();
        update.applyFromView(iteration, epoch, n);
        graph.getConfiguration().setIterationCount(iteration + 1);
        return loss / n;
    }

    /**
     * out = f(in W + b), f(v) = max(v, slope v) (0: ReLU, 1: identity), W in DL4J's [in, out] Fortran order (a
     * row-major [out x in] matrix).
     */
    private void dense(float[] in, int width, ParameterMemory w, ParameterMemory b, int outWidth, float slope,
                       NativeFloats nativeIn, NativeFloats nativeOut, float[] out) {
        Sgemm.multiply(false, true, batch, outWidth, width, 1f, nativeIn.load(in, batch * width), width, w.values(),
                width, 0f, nativeOut.pointer(), outWidth);
        nativeOut.store(out, batch * outWidth);
        Layouts.addBiasAndActivate(out, batch, b.read(bias), outWidth, slope);
    }

    /** The dense layer's gradients from {@code delta} (dLoss/d pre-activation), and {@code inDelta}. */
    private void denseBackward(float[] delta, int outWidth, float[] in, int width, ParameterMemory w, ParameterMemory b,
                               NativeFloats nativeDelta, NativeFloats nativeIn, float[] inDelta) {
        b.writeGradient(Layouts.columnSums(delta, batch, outWidth, bias));
        nativeDelta.load(delta, batch * outWidth);
        nativeIn.load(in, batch * width);
        Sgemm.multiply(true, false, outWidth, width, batch, 1f, nativeDelta.pointer(), outWidth, nativeIn.pointer(), width,
                0f, w.gradient(), width);
        Sgemm.multiply(false, false, batch, width, outWidth, 1f, nativeDelta.pointer(), outWidth, w.values(), width, 0f,
                nativeIn.pointer(), width);
        nativeIn.store(inDelta, batch * width);
    }
}
