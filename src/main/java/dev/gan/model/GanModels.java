package dev.gan.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.deeplearning4j.nn.weights.WeightInitXavierUniform;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Builds the generator and discriminator as DL4J ComputationGraphs with named inputs.
 *
 * <p>Both end in a plain {@link DenseLayer}, not an OutputLayer: the trainer computes the adversarial loss
 * from D's logit itself and feeds the errors back as external epsilons, which DL4J accepts only without an
 * output layer. For a conditional model the one-hot label is joined to the noise (in G) or to the image
 * (in D) by a {@link MergeVertex} inside the graph.
 */
public final class GanModels {

    public static final String NOISE = "noise";
    public static final String LABEL = "label";
    public static final String IMAGE = "image";
    public static final String G_HIDDEN = "g_hidden";
    public static final String G_OUT = "g_out";
    public static final String D_HIDDEN = "d_hidden";
    public static final String D_LOGIT = "d_logit";
    static final String MERGED = "merged";
    static final String LABEL_SCALED = "label_scaled";

    private GanModels() {
    }

    /**
     * Generator. MLP: [noise (+ one-hot label)] -> Dense(hidden, ReLU) -> Dense(imageSize, sigmoid); DCGAN: see
     * {@link DcganGraphs}. Either way its output is the flat image in [0, 1].
     */
    public static ComputationGraph generator(ModelSpec spec, double learningRate, double beta1, double beta2,
                                             long seed) {
        return generator(spec, learningRate, beta1, beta2, seed, 1);
    }

    /** The generator with its one-hot label input multiplied by {@code labelScale} (see {@link #scaledLabel}). */
    public static ComputationGraph generator(ModelSpec spec, double learningRate, double beta1, double beta2,
                                             long seed, double labelScale) {
        // The trainer runs feedForward and backprop as two calls; batch norm keeps its batch statistics in
        // working memory that a workspace closes in between, so the DCGAN trains without workspaces.
        WorkspaceMode training = spec.arch() == Architecture.DCGAN ? WorkspaceMode.NONE : WorkspaceMode.ENABLED;
        NeuralNetConfiguration.Builder base = base(spec, learningRate, beta1, beta2, seed)
                .trainingWorkspaceMode(training)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED);
        ComputationGraphConfiguration conf = spec.arch() == Architecture.DCGAN
                ? DcganGraphs.generator(base, spec, labelScale)
                : twoLayerGraph(base, spec, 1, labelScale, NOISE, spec.noiseDim(), G_HIDDEN, Activation.RELU.getActivationFunction(),
                        0, G_OUT, spec.imageSize(), Activation.SIGMOID);
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /**
     * Discriminator. MLP: [image (+ one-hot label)] -> Dense(hidden, ReLU) -> Dense(1, identity) = the logit;
     * DCGAN: see {@link DcganGraphs}.
     *
     * <p>Workspaces are off for D because the generator step reads D's gradient with respect to its image
     * input after backprop; with workspaces on, DL4J releases that array when backprop returns.
     */
    public static InputGradientGraph discriminator(ModelSpec spec, double learningRate, double beta1, double beta2,
                                                   long seed) {
        return discriminator(spec, learningRate, beta1, beta2, seed, 0, 0, 1, 1, 0);
    }

    /**
     * The discriminator with the "improved" tricks: LeakyReLU with slope {@code leakyAlpha} (0 = ReLU; the DCGAN
     * uses 0.2 then) in the hidden layer, dropout with probability {@code dropout} on the hidden activations, and
     * packing (PacGAN, Lin et al. 2018): D judges {@code pack} images of one kind at once, each of its examples is
     * {@code pack} images (and their labels) side by side, which lets it see a batch's lack of variety. A
     * conditional D's label input is multiplied by {@code labelScale}. A DCGAN D with {@code codes} above 0 also
     * has InfoGAN's head, which reads that many categories of z back from an image (see {@link DcganGraphs}).
     */
    public static InputGradientGraph discriminator(ModelSpec spec, double learningRate, double beta1, double beta2,
                                                   long seed, double leakyAlpha, double dropout, int pack,
                                                   double labelScale, int codes) {
        if (pack < 1) {
            throw new IllegalArgumentException("pack must be positive, got " + pack);
        }
        if (codes > 0 && spec.arch() != Architecture.DCGAN) {
            throw new IllegalArgumentException("InfoGAN's code head is built on the DCGAN's D only");
        }
        NeuralNetConfiguration.Builder base = base(spec, learningRate, beta1, beta2, seed)
                .trainingWorkspaceMode(WorkspaceMode.NONE)
                .inferenceWorkspaceMode(WorkspaceMode.NONE);
        ComputationGraphConfiguration conf = spec.arch() == Architecture.DCGAN
                ? DcganGraphs.discriminator(base, spec, leakyAlpha, dropout, pack, labelScale, codes)
                : twoLayerGraph(base, spec, pack, labelScale, IMAGE, pack * spec.imageSize(), D_HIDDEN,
                        leakyAlpha > 0 ? new ActivationLReLU(leakyAlpha) : Activation.RELU.getActivationFunction(),
                        dropout, D_LOGIT, 1, Activation.IDENTITY);
        InputGradientGraph graph = new InputGradientGraph(conf);
        graph.init();
        return graph;
    }

    /**
     * input (merged with the one-hot label for a cGAN) -> Dense(hidden, hiddenActivation) -> [dropout] ->
     * Dense(outSize, outActivation). {@code pack} one-hot labels come with each input row.
     */
    private static ComputationGraphConfiguration twoLayerGraph(NeuralNetConfiguration.Builder base, ModelSpec spec,
                                                               int pack, double labelScale, String input, int inputSize, String hidden,
                                                               IActivation hiddenActivation, double dropout,
                                                               String out, int outSize, Activation outActivation) {
        ComputationGraphConfiguration.GraphBuilder g = base.graphBuilder();
        String hiddenInput = input;
        if (spec.conditional()) {
            g.addInputs(input, LABEL).addVertex(MERGED, new MergeVertex(), input, scaledLabel(g, labelScale));
            hiddenInput = MERGED;
            inputSize += pack * spec.numClasses();
        } else {
            g.addInputs(input);
        }
        DenseLayer hiddenLayer;
        DenseLayer outputLayer;
        if (dropout > 0) {
            // DL4J's own layers: dropout changes the stored activations that reuse relies on.
            hiddenLayer = new DenseLayer.Builder().nIn(inputSize).nOut(spec.hidden()).activation(hiddenActivation).build();
            outputLayer = new DenseLayer.Builder().nIn(spec.hidden()).nOut(outSize).activation(outActivation)
                    .dropOut(1 - dropout) // DL4J takes the retain probability, applied to this layer's input
                    .build();
        } else {
            hiddenLayer = new ReusingDenseLayer(inputSize, spec.hidden(), hiddenActivation);
            outputLayer = new ReusingDenseLayer(spec.hidden(), outSize, outActivation.getActivationFunction());
        }
        return g.addLayer(hidden, hiddenLayer, hiddenInput)
                .addLayer(out, outputLayer, hidden)
                .setOutputs(out)
                .build();
    }

    /**
     * The vertex that carries the one-hot label into the network: the input itself, or the input times
     * {@code scale}. Why scale: the label is 10 of ~800 inputs to D's first layer (and 10 of 138 in G's), and a
     * larger input value makes Adam move its weights' contribution proportionally faster, a cheap stand-in for a
     * learned, scaled label embedding.
     */
    static String scaledLabel(ComputationGraphConfiguration.GraphBuilder g, double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("label scale must be positive, got " + scale);
        }
        if (scale == 1) {
            return LABEL;
        }
        g.addVertex(LABEL_SCALED, new ScaleVertex(scale), LABEL);
        return LABEL_SCALED;
    }

    private static NeuralNetConfiguration.Builder base(ModelSpec spec, double learningRate, double beta1,
                                                       double beta2, long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(learningRate, beta1, beta2, 1e-8))
                .weightInit(weightInit(spec.weightInit()))
                .biasInit(0.0);
    }

    private static IWeightInit weightInit(WeightInitKind kind) {
        return switch (kind) {
            case NORMAL -> new WeightInitDistribution(new NormalDistribution(0, 0.01));
            case XAVIER -> new WeightInitXavierUniform();
        };
    }
}
