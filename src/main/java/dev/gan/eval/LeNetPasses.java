package dev.gan.eval;

import dev.gan.model.GraphMemory;
import dev.gan.nn.ConvGeometry;
import dev.gan.nn.Convolution;
import dev.gan.nn.ConvolutionKernel;
import dev.gan.nn.Layouts;
import dev.gan.nn.MaxPool;
import dev.gan.nn.NativeFloats;
import dev.gan.nn.OneDnn;
import dev.gan.nn.OneDnnConvolution;
import dev.gan.nn.ParameterMemory;
import dev.gan.util.Sgemm;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Optional;

/**
 * The digit classifier's LeNet ({@link DigitClassifier#create}) written out over the graph's parameter memory
 * with gan's own kernels: the convolutions as im2col + sgemm on channels-last arrays, max pooling, the dense
 * layers as sgemm, each split over gan's threads. The forward pass serves inference ({@link DigitClassifier#run})
 * and {@link DirectLeNetTraining}, which adds the backward pass on these arrays. Why not DL4J's layers: M2.1's
 * ConvolutionLayer builds its im2col matrices with Java-side copies, and libnd4j's conv2d ran on one thread
 * here (its matrix multiplies are OpenBLAS's, held to one thread so that gan's split multiplies do not
 * oversubscribe the cores).
 *
 * <p>The arrays are this object's: one pass at a time.
 */
final class LeNetPasses {

    final int batch;
    final int classes;
    final int features;
    final int flat;               // pool2's outputs per image
    final int pooledChannels;
    final int pooledPixels;
    final ConvolutionKernel conv1;
    final ConvolutionKernel conv2;
    final MaxPool pool1;
    final MaxPool pool2;
    final ParameterMemory conv1W;
    final ParameterMemory conv1B;
    final ParameterMemory conv2W;
    final ParameterMemory conv2B;
    final ParameterMemory featuresW;
    final ParameterMemory featuresB;
    final ParameterMemory outputW;
    final ParameterMemory outputB;
    final NativeFloats nativeFlat;
    final NativeFloats nativeHidden;
    final NativeFloats nativeLogits;
    /** The input images, flat rows (one channel: already channels-last). */
    final float[] images;
    final float[] act1;
    final float[] pooled1;
    final float[] act2;
    final float[] pooled2;
    final float[] flatInput;      // DL4J's flattening: per image [C][h*w]
    /** The features layer's activations: the classifier's features. */
    final float[] hidden;
    /** The output layer's pre-softmax values. */
    final float[] logits;
    final float[] bias;
    /** Whether a backward pass follows: the pooling layers then remember where their maxima came from. */
    private final boolean training;

    private LeNetPasses(ComputationGraph graph, int batch, boolean training, int rows, int cols, ConvolutionLayer c1,
                        ConvolutionLayer c2, int pool) {
        this.batch = batch;
        this.training = training;
        ConvGeometry g1 = valid(rows, cols, 1, c1);
        conv1 = convolution(g1, (int) c1.getNOut(), batch, training);
        pool1 = new MaxPool(g1.outH(), g1.outW(), (int) c1.getNOut(), pool, batch);
        ConvGeometry g2 = valid(g1.outH() / pool, g1.outW() / pool, (int) c1.getNOut(), c2);
        conv2 = convolution(g2, (int) c2.getNOut(), batch, training);
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
        bias = new float[Math.max(Math.max(features, classes), Math.max((int) c1.getNOut(), (int) c2.getNOut()))];
    }

    /**
     * The forward pass alone for {@code graph} at batches of up to {@code batch} images, or empty when the graph
     * is not {@link #isLeNet the classifier's own layout} with square kernels and pools, or the backend is not the
     * CPU (the kernels call OpenBLAS on native memory). Its convolutions are oneDNN's where libnd4j has it
     * (the two convolutions of 10,000 digits measured 0.65 s against 1.2 s for im2col on one thread, 0.52
     * against 0.84 on two).
     */
    static Optional<LeNetPasses> forInference(ComputationGraph graph, int batch) {
        return of(graph, batch, false);
    }

    /**
     * As {@link #forInference}, for {@link DirectLeNetTraining}'s step: gan's im2col convolutions (for a
     * convolution from one channel, oneDNN's weight gradient measured slower), pooling that remembers its maxima.
     */
    static Optional<LeNetPasses> forTraining(ComputationGraph graph, int batch) {
        return of(graph, batch, true);
    }

    private static ConvolutionKernel convolution(ConvGeometry geometry, int out, int batch, boolean training) {
        return !training && OneDnn.available() ? new OneDnnConvolution(geometry, out, batch)
                : new Convolution(geometry, out, batch);
    }

    private static Optional<LeNetPasses> of(ComputationGraph graph, int batch, boolean training) {
        if (!Nd4j.getEnvironment().isCPU() || !isLeNet(graph)) {
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
        if (!squarePools || !squareKernels) {
            return Optional.empty();
        }
        return Optional.of(new LeNetPasses(graph, batch, training, (int) input.getInputHeight(), (int) input.getInputWidth(),
                c1, c2, pool));
    }

    /**
     * Whether {@code graph} has exactly the layout {@link DigitClassifier#create} builds: one input channel,
     * conv (valid, stride any, bias, ReLU) - max pool - conv - max pool - dense ReLU - softmax.
     */
    static boolean isLeNet(ComputationGraph graph) {
        var vertices = graph.getConfiguration().getVertices();
        return vertices.get("conv1") instanceof LayerVertex v1
                && v1.getPreProcessor() instanceof FeedForwardToCnnPreProcessor input
                && input.getNumChannels() == 1
                && v1.getLayerConf().getLayer() instanceof ConvolutionLayer c1
                && vertices.get("pool1") instanceof LayerVertex v2
                && v2.getLayerConf().getLayer() instanceof SubsamplingLayer p1
                && vertices.get("conv2") instanceof LayerVertex v3
                && v3.getLayerConf().getLayer() instanceof ConvolutionLayer c2
                && vertices.get("pool2") instanceof LayerVertex v4
                && v4.getLayerConf().getLayer() instanceof SubsamplingLayer p2
                && plain(c1) && plain(c2) && maxPool(p1) && maxPool(p2)
                && new ActivationReLU().equals(activation(graph, DigitClassifier.FEATURES))
                && activation(graph, DigitClassifier.OUTPUT) instanceof ActivationSoftmax;
    }

    private static boolean plain(ConvolutionLayer c) {
        return c.getConvolutionMode() == ConvolutionMode.Truncate && c.getPadding()[0] == 0 && c.getPadding()[1] == 0
                && c.getDilation()[0] == 1 && c.getDilation()[1] == 1 && c.hasBias()
                && new ActivationReLU().equals(c.getActivationFn());
    }

    private static boolean maxPool(SubsamplingLayer p) {
        return p.getPoolingType() == PoolingType.MAX && p.getConvolutionMode() == ConvolutionMode.Truncate
                && p.getPadding()[0] == 0 && p.getPadding()[1] == 0;
    }

    /** The activation of the named layer, or null when it has none (or no such layer). */
    private static IActivation activation(ComputationGraph graph, String layer) {
        var vertex = graph.getVertex(layer);
        return vertex != null && vertex.hasLayer() && vertex.getLayer().conf().getLayer() instanceof BaseLayer base
                ? base.getActivationFn() : null;
    }

    private static ConvGeometry valid(int h, int w, int channels, ConvolutionLayer c) {
        int k = c.getKernelSize()[0];
        int s = c.getStride()[0];
        return new ConvGeometry(h, w, channels, (h - k) / s + 1, (w - k) / s + 1, k, s, 0);
    }

    /**
     * The forward pass of the first {@code n} images in {@link #images}: {@link #hidden} gets their features,
     * {@link #logits} the output layer's values before the softmax.
     */
    void forward(int n) {
        if (n < 1 || n > batch) {
            throw new IllegalArgumentException("batch " + n + " outside 1.." + batch);
        }
        conv1.forward(images, n, conv1W, conv1B, 0f, act1);
        pool(pool1, act1, n, pooled1);
        conv2.forward(pooled1, n, conv2W, conv2B, 0f, act2);
        pool(pool2, act2, n, pooled2);
        Layouts.transpose(pooled2, n, pooledChannels, pooledPixels, flatInput, false);
        dense(flatInput, n, flat, featuresW, featuresB, features, 0f, nativeFlat, nativeHidden, hidden);
        dense(hidden, n, features, outputW, outputB, classes, 1f, nativeHidden, nativeLogits, logits);
    }

    private void pool(MaxPool pool, float[] in, int n, float[] out) {
        if (training) {
            pool.forward(in, n, out);
        } else {
            pool.forwardMaxima(in, n, out);
        }
    }

    /**
     * out = f(in W + b) for {@code n} rows, f(v) = max(v, slope v) (0: ReLU, 1: identity), W in DL4J's [in, out]
     * Fortran order (a row-major [out x in] matrix).
     */
    private void dense(float[] in, int n, int width, ParameterMemory w, ParameterMemory b, int outWidth, float slope,
                       NativeFloats nativeIn, NativeFloats nativeOut, float[] out) {
        Sgemm.multiply(false, true, n, outWidth, width, 1f, nativeIn.load(in, n * width), width, w.values(),
                width, 0f, nativeOut.pointer(), outWidth);
        nativeOut.store(out, n * outWidth);
        Layouts.addBiasAndActivate(out, n, b.read(bias), outWidth, slope);
    }

    /**
     * Row {@code i}'s softmax of {@link #logits} into {@code into} from {@code at} (the largest value subtracted
     * first); {@link #logits} itself at the row's own place is allowed.
     */
    void softmax(int i, float[] into, int at) {
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
            into[at + j] = (float) (Math.exp(logits[row + j] - max) / sum);
        }
    }
}
