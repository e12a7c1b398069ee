package dev.gan.eval;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Optional;

/**
 * The {@link DigitClassifier}'s inference pass through libnd4j's own conv2d and maxpool2d ops, with the graph's
 * parameters used in place. Why: DL4J M2.1's ConvolutionLayer builds its im2col matrices with Java-side copies,
 * which made evaluation spend three quarters of its time in two small convolutions; the native ops do the same
 * arithmetic in C++. Only the classifier's own layout is handled (conv-pool-conv-pool-dense-softmax, truncated
 * mode, no padding); {@link #of} declines anything else and the caller keeps DL4J's path.
 */
final class NativeLeNetForward {

    private final long rows;
    private final long cols;
    private final INDArray conv1Weights;
    private final INDArray conv1Bias;
    private final Conv2DConfig conv1;
    private final Pooling2DConfig pool1;
    private final INDArray conv2Weights;
    private final INDArray conv2Bias;
    private final Conv2DConfig conv2;
    private final Pooling2DConfig pool2;
    private final INDArray featureWeights;
    private final INDArray featureBias;
    private final INDArray outputWeights;
    private final INDArray outputBias;

    private NativeLeNetForward(ComputationGraph graph, FeedForwardToCnnPreProcessor input, ConvolutionLayer c1,
                               SubsamplingLayer p1, ConvolutionLayer c2, SubsamplingLayer p2) {
        rows = input.getInputHeight();
        cols = input.getInputWidth();
        conv1Weights = graph.getParam("conv1_W");
        conv1Bias = graph.getParam("conv1_b").reshape(-1);
        conv1 = convolution(c1);
        pool1 = pooling(p1);
        conv2Weights = graph.getParam("conv2_W");
        conv2Bias = graph.getParam("conv2_b").reshape(-1);
        conv2 = convolution(c2);
        pool2 = pooling(p2);
        featureWeights = graph.getParam(DigitClassifier.FEATURES + "_W");
        featureBias = graph.getParam(DigitClassifier.FEATURES + "_b");
        outputWeights = graph.getParam(DigitClassifier.OUTPUT + "_W");
        outputBias = graph.getParam(DigitClassifier.OUTPUT + "_b");
    }

    /** The native pass for {@code graph}, if it has exactly the layout {@link DigitClassifier#create} builds. */
    static Optional<NativeLeNetForward> of(ComputationGraph graph) {
        if (!isLeNet(graph)) {
            return Optional.empty();
        }
        var vertices = graph.getConfiguration().getVertices();
        return Optional.of(new NativeLeNetForward(graph,
                (FeedForwardToCnnPreProcessor) ((LayerVertex) vertices.get("conv1")).getPreProcessor(),
                (ConvolutionLayer) ((LayerVertex) vertices.get("conv1")).getLayerConf().getLayer(),
                (SubsamplingLayer) ((LayerVertex) vertices.get("pool1")).getLayerConf().getLayer(),
                (ConvolutionLayer) ((LayerVertex) vertices.get("conv2")).getLayerConf().getLayer(),
                (SubsamplingLayer) ((LayerVertex) vertices.get("pool2")).getLayerConf().getLayer()));
    }

    /**
     * Whether {@code graph} has exactly the layout {@link DigitClassifier#create} builds: one input channel,
     * conv (valid, stride any, bias, ReLU) - max pool - conv - max pool - dense ReLU - softmax.
     */
    static boolean isLeNet(ComputationGraph graph) {
        var vertices = graph.getConfiguration().getVertices();
        if (!(vertices.get("conv1") instanceof LayerVertex v1
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
                && activation(graph, DigitClassifier.OUTPUT) instanceof ActivationSoftmax)) {
            return false;
        }
        return true;
    }

    private static boolean plain(ConvolutionLayer c) {
        return c.getConvolutionMode() == ConvolutionMode.Truncate && c.getPadding()[0] == 0 && c.getPadding()[1] == 0
                && c.getDilation()[0] == 1 && c.getDilation()[1] == 1 && c.hasBias()
                && new ActivationReLU().equals(c.getActivationFn());
    }

    private static boolean maxPool(SubsamplingLayer p) {
        return p.getPoolingType() == org.deeplearning4j.nn.conf.layers.PoolingType.MAX
                && p.getConvolutionMode() == ConvolutionMode.Truncate
                && p.getPadding()[0] == 0 && p.getPadding()[1] == 0;
    }

    /** The activation of the named layer, or null when it has none (or no such layer). */
    private static IActivation activation(ComputationGraph graph, String layer) {
        var vertex = graph.getVertex(layer);
        return vertex != null && vertex.hasLayer()
                && vertex.getLayer().conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseLayer base
                ? base.getActivationFn() : null;
    }

    private static Conv2DConfig convolution(ConvolutionLayer c) {
        return Conv2DConfig.builder()
                .kH(c.getKernelSize()[0]).kW(c.getKernelSize()[1])
                .sH(c.getStride()[0]).sW(c.getStride()[1])
                .pH(0).pW(0).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID)
                .dataFormat(Conv2DConfig.NCHW)
                .weightsFormat(WeightsFormat.OIYX) // DL4J's layout: [out, in, kH, kW]
                .build();
    }

    private static Pooling2DConfig pooling(SubsamplingLayer p) {
        return Pooling2DConfig.builder()
                .kH(p.getKernelSize()[0]).kW(p.getKernelSize()[1])
                .sH(p.getStride()[0]).sW(p.getStride()[1])
                .pH(0).pW(0).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID)
                .type(Pooling2D.Pooling2DType.MAX)
                .isNHWC(false)
                .build();
    }

    /** Features (the dense layer's activations) and class probabilities of a batch of flat images. */
    INDArray[] forward(INDArray flatImages) {
        long n = flatImages.rows();
        INDArray x = flatImages.reshape('c', n, 1, rows, cols);
        x = Transforms.relu(Nd4j.cnn().conv2d(x, conv1Weights, conv1Bias, conv1), false);
        x = Nd4j.cnn().maxPooling2d(x, pool1);
        x = Transforms.relu(Nd4j.cnn().conv2d(x, conv2Weights, conv2Bias, conv2), false);
        x = Nd4j.cnn().maxPooling2d(x, pool2);
        INDArray flat = x.reshape('c', n, x.length() / n); // DL4J flattens NCHW row-major, as here
        INDArray features = Transforms.relu(flat.mmul(featureWeights).addiRowVector(featureBias), false);
        INDArray probabilities = Transforms.softmax(features.mmul(outputWeights).addiRowVector(outputBias), false);
        return new INDArray[] {features, probabilities};
    }
}
