package dev.gan.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;

/**
 * The convolutional (DCGAN-style) generator and discriminator. C, the channels of the widest feature map, is
 * the spec's {@code hidden} width. Images stay flat (rows*cols) at both graphs' edges, exactly as for the MLP,
 * so the trainer, sampling and evaluation do not know which architecture they hold.
 *
 * <p>G: [noise (+ one-hot label)] -> Dense(C*h*w) -> BN -> ReLU -> reshape C x h x w -> transposed Conv 4x4
 * stride 2 (C/2) -> BN -> ReLU -> transposed Conv 4x4 stride 2 (1) -> sigmoid -> flatten, with h, w a quarter of
 * the image sides. The ReLUs are layers of their own: DL4J 1.0.0-M2.1's BatchNormalization ignores the
 * activation it is configured with, so generators built by earlier versions (BN "with" ReLU) are affine up to
 * their sigmoid. Their files still load, sample and resume as they were. Transposed convolutions, not upsampling + convolution: DL4J M2.1 runs Deconvolution2D as
 * one native op, while its ConvolutionLayer copies the im2col matrix several times in Java (measured on CPU,
 * batch 100, C 64: G forward 64 ms against 3,000 ms with upsampling and 5x5 convolutions).
 *
 * <p>D: image -> Conv 4x4 stride 2 (C/2) -> LeakyReLU -> Conv 4x4 stride 2 (C) -> LeakyReLU -> Dense(1) = logit,
 * with dropout on the inputs of the second convolution and of the Dense layer. For a cGAN the label is
 * projected by a Dense layer to an image-sized map and stacked as a second input channel, so the
 * convolutions see the digit asked for. With InfoGAN's code a second Dense layer reads D's last features as
 * the logits of z's category; it is no output of the graph (DL4J's own passes never compute it), only the
 * direct step trains it, so its parameters live, are updated and are saved with D's.
 */
public final class DcganGraphs {

    public static final int KERNEL = 4;
    /** D's LeakyReLU slope when the configuration asks for none: a DCGAN D without it learns poorly. */
    static final double DEFAULT_LEAKY = 0.2;

    public static final String G_PROJECT = "g_project";
    public static final String G_PROJECT_BN = "g_project_bn";
    public static final String G_DECONV1 = "g_deconv1";
    public static final String G_DECONV1_BN = "g_deconv1_bn";
    public static final String G_DECONV2 = "g_deconv2";
    public static final String D_LABEL_MAP = "d_label_map";
    public static final String D_CONV1 = "d_conv1";
    public static final String D_CONV2 = "d_conv2";
    /** InfoGAN's head on D's last features: the logits of the noise's category (only with --info-weight). */
    public static final String D_CODE = "d_code";
    public static final String G_PROJECT_RELU = "g_project_relu";
    public static final String G_DECONV1_RELU = "g_deconv1_relu";

    private DcganGraphs() {
    }

    static ComputationGraphConfiguration generator(NeuralNetConfiguration.Builder base, ModelSpec spec,
                                                   double labelScale) {
        int h = spec.rows() / 4;
        int w = spec.cols() / 4;
        ComputationGraphConfiguration.GraphBuilder g = base.graphBuilder();
        String input = GanModels.NOISE;
        int inputSize = spec.noiseDim();
        if (spec.conditional()) {
            g.addInputs(GanModels.NOISE, GanModels.LABEL)
                    .addVertex(GanModels.MERGED, new MergeVertex(), GanModels.NOISE, GanModels.scaledLabel(g, labelScale));
            input = GanModels.MERGED;
            inputSize += spec.numClasses();
        } else {
            g.addInputs(GanModels.NOISE);
        }
        int channels = spec.hidden();
        int half = channels / 2;
        return g.addLayer(G_PROJECT, new DenseLayer.Builder().nIn(inputSize).nOut((long) channels * h * w)
                        .activation(Activation.IDENTITY).build(), input)
                .addLayer(G_PROJECT_BN, new BatchNormalization.Builder().nOut((long) channels * h * w)
                        .activation(Activation.IDENTITY).build(), G_PROJECT)
                .addLayer(G_PROJECT_RELU, new ActivationLayer(Activation.RELU), G_PROJECT_BN)
                .addLayer(G_DECONV1, transposedConvolution(channels, half, Activation.IDENTITY), G_PROJECT_RELU)
                .inputPreProcessor(G_DECONV1, new FeedForwardToCnnPreProcessor(h, w, channels))
                .addLayer(G_DECONV1_BN, new BatchNormalization.Builder().nOut(half).activation(Activation.IDENTITY)
                        .build(), G_DECONV1)
                .addLayer(G_DECONV1_RELU, new ActivationLayer(Activation.RELU), G_DECONV1_BN)
                .addLayer(G_DECONV2, transposedConvolution(half, 1, Activation.SIGMOID), G_DECONV1_RELU)
                .addVertex(GanModels.G_OUT, new PreprocessorVertex(
                        new CnnToFeedForwardPreProcessor(spec.rows(), spec.cols(), 1)), G_DECONV2)
                .setOutputs(GanModels.G_OUT)
                .build();
    }

    static ComputationGraphConfiguration discriminator(NeuralNetConfiguration.Builder base, ModelSpec spec,
                                                       double leakyAlpha, double dropout, int pack, double labelScale,
                                                       int codes) {
        IActivation leaky = new ActivationLReLU(leakyAlpha > 0 ? leakyAlpha : DEFAULT_LEAKY);
        ComputationGraphConfiguration.GraphBuilder g = base.graphBuilder();
        String input = GanModels.IMAGE;
        // A packed example is pack images side by side, which reshape row-major into pack channels.
        int inputChannels = pack;
        if (spec.conditional()) {
            g.addInputs(GanModels.IMAGE, GanModels.LABEL)
                    .addLayer(D_LABEL_MAP, new DenseLayer.Builder().nIn((long) pack * spec.numClasses()).nOut(spec.imageSize())
                            .activation(Activation.IDENTITY).build(), GanModels.scaledLabel(g, labelScale))
                    // Flat [images | label map] reshapes row-major into the image channels, then the label map.
                    .addVertex(GanModels.MERGED, new MergeVertex(), GanModels.IMAGE, D_LABEL_MAP);
            input = GanModels.MERGED;
            inputChannels = pack + 1;
        } else {
            g.addInputs(GanModels.IMAGE);
        }
        int channels = spec.hidden();
        int half = channels / 2;
        ConvolutionLayer.Builder second = convolution(half, channels, leaky);
        long features = (long) channels * (spec.rows() / 4) * (spec.cols() / 4);
        DenseLayer.Builder logit = new DenseLayer.Builder().nIn(features).nOut(1).activation(Activation.IDENTITY);
        if (dropout > 0) {
            second.dropOut(1 - dropout); // DL4J takes the retain probability, applied to this layer's input
            logit.dropOut(1 - dropout);
        }
        g.addLayer(D_CONV1, convolution(inputChannels, half, leaky).build(), input)
                .inputPreProcessor(D_CONV1, new FeedForwardToCnnPreProcessor(spec.rows(), spec.cols(), inputChannels))
                .addLayer(D_CONV2, second.build(), D_CONV1)
                .addLayer(GanModels.D_LOGIT, logit.build(), D_CONV2)
                .inputPreProcessor(GanModels.D_LOGIT, lastFeatures(spec, channels));
        if (codes > 0) {
            DenseLayer.Builder code = new DenseLayer.Builder().nIn(features).nOut(codes).activation(Activation.IDENTITY);
            if (dropout > 0) {
                code.dropOut(1 - dropout);
            }
            g.addLayer(D_CODE, code.build(), D_CONV2)
                    .inputPreProcessor(D_CODE, lastFeatures(spec, channels))
                    .allowDisconnected(true);
        }
        return g.setOutputs(GanModels.D_LOGIT).build();
    }

    /** D's last feature map, flat: what its logit (and InfoGAN's head) read. */
    private static CnnToFeedForwardPreProcessor lastFeatures(ModelSpec spec, int channels) {
        return new CnnToFeedForwardPreProcessor(spec.rows() / 4, spec.cols() / 4, channels);
    }

    /** Halves the sides. */
    private static ConvolutionLayer.Builder convolution(int in, int out, IActivation activation) {
        return new ConvolutionLayer.Builder(KERNEL, KERNEL).stride(2, 2)
                .convolutionMode(ConvolutionMode.Same).nIn(in).nOut(out).activation(activation);
    }

    /** Doubles the sides. */
    private static Deconvolution2D transposedConvolution(int in, int out, Activation activation) {
        return new Deconvolution2D.Builder(KERNEL, KERNEL).stride(2, 2)
                .convolutionMode(ConvolutionMode.Same).nIn(in).nOut(out).activation(activation).build();
    }
}
