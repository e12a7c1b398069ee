package dev.gan.engine;

import dev.gan.config.Augmentation;
import dev.gan.config.Engine;
import dev.gan.model.DcganGraphs;
import dev.gan.model.GanModels;
import dev.gan.model.GraphMemory;
import dev.gan.nn.BatchNorm;
import dev.gan.nn.ConvGeometry;
import dev.gan.nn.Convolution;
import dev.gan.nn.ConvolutionKernel;
import dev.gan.nn.DiffAugment;
import dev.gan.nn.Layouts;
import dev.gan.nn.NativeFloats;
import dev.gan.nn.OneDnn;
import dev.gan.nn.OneDnnConvolution;
import dev.gan.nn.OneDnnTransposedConvolution;
import dev.gan.nn.ParameterMemory;
import dev.gan.nn.SpectralNorm;
import dev.gan.nn.TransposedConvolution;
import dev.gan.nn.TransposedConvolutionKernel;
import dev.gan.optim.ParameterUpdate;
import dev.gan.util.Sgemm;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The DCGAN's iteration written out over the graphs' own parameter and gradient memory ({@link DcganGraphs}'
 * layout): convolutions as im2col + OpenBLAS sgemm on channels-last activations ({@code dev.gan.nn}), batch
 * normalization and activations as Java loops, every working array allocated once. The graphs stay the models:
 * their parameters, Adam state, batch-norm running statistics and files are DL4J's; only the arithmetic of an
 * iteration bypasses DL4J's layers.
 *
 * <p>Why: DL4J M2.1's ConvolutionLayer builds its im2col matrices with several Java-side copies, and libnd4j's
 * own conv2d_bp and deconv2d ops measured 3-20 times the time of their multiplies here; an iteration of the
 * width-64 DCGAN took 0.9 s against PyTorch's 85 ms on the same core.
 *
 * <p>Dropout in D draws its masks from a generator seeded from ND4J's random stream at each D pass, so runs
 * are reproducible (the trainer reseeds that stream every iteration) but their masks are not DL4J's: with
 * dropout this path trains like the graph path in distribution, not number for number.
 */
final class DirectDcganStep implements TrainingStep {

    private final ParameterUpdate generatorUpdate;
    private final ParameterUpdate discriminatorUpdate;
    private final AdversarialLoss loss;
    private final boolean conditional;
    private final int batch;
    private final int pack;
    private final int packedBatch;
    private final int noiseDim;
    private final int classes;
    private final int imageSize;
    private final int smallPixels;      // h * w: G's first feature map, D's last
    private final int channels;         // C
    private final int inChannels;       // D's input channels: pack images (+ the label map)
    private final float gLabelScale;
    private final float dLabelScale;
    private final float dSlope;
    /** ReLU layers after G's batch norms (graphs built by earlier versions have none: see DcganGraphs). */
    private final boolean reluAfterNorm;
    /** D's dropout retain probability (1: none). */
    private final float retain;

    // Generator.
    private final ParameterMemory projectW;
    private final ParameterMemory projectB;
    private final ParameterMemory[] projectBn;
    private final ParameterMemory deconv1W;
    private final ParameterMemory deconv1B;
    private final ParameterMemory[] deconv1Bn;
    private final ParameterMemory deconv2W;
    private final ParameterMemory deconv2B;
    private final int projectIn;
    private final BatchNorm projectNorm;
    private final TransposedConvolutionKernel deconv1;
    private final BatchNorm deconv1Norm;
    private final TransposedConvolution deconv2;
    private final NativeFloats projectOut;
    private final float[] projectPre;
    private final float[] projectAct;   // per image [C][h*w], as DL4J reshapes the dense output
    private final float[] deconv1In;    // NHWC
    private final float[] deconv1Pre;
    private final float[] deconv1Act;
    private final float[] fake;
    private final float[] fakeDelta;
    private final float[] deconv1ActDelta;
    private final float[] deconv1PreDelta;
    private final float[] deconv1InDelta;
    private final float[] projectActDelta;
    private final float[] projectPreDelta;
    private final float[] bias;

    // Discriminator.
    private final ParameterMemory labelMapW;
    private final ParameterMemory labelMapB;
    private final ParameterMemory conv1W;
    private final ParameterMemory conv1B;
    private final ParameterMemory conv2W;
    private final ParameterMemory conv2B;
    private final ParameterMemory logitW;
    private final ParameterMemory logitB;
    private final Convolution conv1;
    private final ConvolutionKernel conv2;
    private final NativeFloats labelMapOut;
    private final float[] images;
    private final float[] labelMap;
    private final float[] input;        // NHWC, inChannels
    private final float[] act1;
    private final float[] act1Kept;     // after dropout: conv2's input
    private final float[] mask1;
    private final float[] act2;
    private final float[] act2Kept;
    private final float[] mask2;
    private final float[] logitWeights; // NHWC order
    private final float[] logitGradient;
    private final float[] logits;
    private final float[] errors;
    private final float[] target;
    private final float[] delta2;
    private final float[] delta1;
    private final float[] inputDelta;
    /** InfoGAN's head on D (null without --info-weight). */
    private final CodeHead code;
    /** The code head's mean cross-entropy on the fakes of the last G step (NaN without the head). */
    private double codeLoss = Double.NaN;
    private final DirectSteps.Anchor anchor;
    /** D's weight matrices under spectral normalization, by layer (empty without --spectral-norm). */
    private final Map<String, SpectralNorm> norms = new LinkedHashMap<>();
    /** DiffAugment on D's images (null without --augment). */
    private final DiffAugment augment;

    private DirectDcganStep(ComputationGraph generator, ComputationGraph discriminator,
                            ParameterUpdate generatorUpdate, ParameterUpdate discriminatorUpdate, AdversarialLoss loss,
                            int batch, int pack, int noiseDim, int rows, int cols, int classes, boolean conditional,
                            double infoWeight, DiscriminatorTricks tricks, boolean oneDnn) {
        this.anchor = new DirectSteps.Anchor(generator, discriminator);
        this.generatorUpdate = generatorUpdate;
        this.discriminatorUpdate = discriminatorUpdate;
        this.loss = loss;
        this.conditional = conditional;
        this.batch = batch;
        this.pack = pack;
        this.packedBatch = batch / pack;
        this.noiseDim = noiseDim;
        this.classes = classes;
        this.imageSize = rows * cols;
        this.smallPixels = (rows / 4) * (cols / 4);
        this.inChannels = pack + (conditional ? 1 : 0);
        BatchNormalization projectNormConf = batchNorm(generator, DcganGraphs.G_PROJECT_BN);
        this.channels = (int) ((Deconvolution2D) layerConf(generator, DcganGraphs.G_DECONV1)).getNIn();
        int half = (int) ((Deconvolution2D) layerConf(generator, DcganGraphs.G_DECONV1)).getNOut();
        gLabelScale = DirectSteps.labelScale(generator);
        dLabelScale = DirectSteps.labelScale(discriminator);
        dSlope = layerConf(discriminator, DcganGraphs.D_CONV1).getActivationFn() instanceof ActivationLReLU leaky
                ? (float) leaky.getAlpha() : 0f;
        retain = dropoutRetain(discriminator).orElse(1f);
        reluAfterNorm = hasVertex(generator, DcganGraphs.G_PROJECT_RELU);

        projectW = param(generator, DcganGraphs.G_PROJECT, "W");
        projectB = param(generator, DcganGraphs.G_PROJECT, "b");
        projectBn = batchNormParams(generator, DcganGraphs.G_PROJECT_BN);
        deconv1W = param(generator, DcganGraphs.G_DECONV1, "W");
        deconv1B = param(generator, DcganGraphs.G_DECONV1, "b");
        deconv1Bn = batchNormParams(generator, DcganGraphs.G_DECONV1_BN);
        deconv2W = param(generator, DcganGraphs.G_DECONV2, "W");
        deconv2B = param(generator, DcganGraphs.G_DECONV2, "b");
        projectIn = noiseDim + (conditional ? classes : 0);
        int projected = channels * smallPixels;
        int k = DcganGraphs.KERNEL;
        projectNorm = new BatchNorm(projected, batch, projectNormConf.getEps(), projectNormConf.getDecay());
        ConvGeometry deconv1Geometry = ConvGeometry.halving(rows / 2, cols / 2, half, k);
        // oneDNN where it measured faster (see OneDnn): G's first transposed convolution and D's second convolution.
        deconv1 = oneDnn ? new OneDnnTransposedConvolution(deconv1Geometry, channels, batch)
                : new TransposedConvolution(deconv1Geometry, channels, batch);
        BatchNormalization deconv1NormConf = batchNorm(generator, DcganGraphs.G_DECONV1_BN);
        int middlePixels = 4 * smallPixels;
        deconv1Norm = new BatchNorm(half, batch * middlePixels, deconv1NormConf.getEps(), deconv1NormConf.getDecay());
        deconv2 = new TransposedConvolution(ConvGeometry.halving(rows, cols, 1, k), half, batch);
        projectOut = new NativeFloats((long) batch * projected);
        projectPre = new float[batch * projected];
        projectAct = new float[batch * projected];
        deconv1In = new float[batch * projected];
        deconv1Pre = new float[batch * middlePixels * half];
        deconv1Act = new float[batch * middlePixels * half];
        fake = new float[batch * imageSize];
        fakeDelta = new float[batch * imageSize];
        deconv1ActDelta = new float[batch * middlePixels * half];
        deconv1PreDelta = new float[batch * middlePixels * half];
        deconv1InDelta = new float[batch * projected];
        projectActDelta = new float[batch * projected];
        projectPreDelta = new float[batch * projected];
        bias = new float[Math.max(projected, imageSize)];

        // With spectral norm, D's layers compute with the normalized copies (rows: see SpectralNorm).
        SplittableRandom normStart = new SplittableRandom(tricks.normSeed());
        boolean normalize = tricks.spectralNorm();
        labelMapW = conditional ? normalized(normalize, "labelMap", param(discriminator, DcganGraphs.D_LABEL_MAP, "W"),
                imageSize, pack * classes, normStart) : null;
        labelMapB = conditional ? param(discriminator, DcganGraphs.D_LABEL_MAP, "b") : null;
        int k2 = DcganGraphs.KERNEL * DcganGraphs.KERNEL;
        conv1W = normalized(normalize, "conv1", param(discriminator, DcganGraphs.D_CONV1, "W"), half, inChannels * k2,
                normStart);
        conv1B = param(discriminator, DcganGraphs.D_CONV1, "b");
        conv2W = normalized(normalize, "conv2", param(discriminator, DcganGraphs.D_CONV2, "W"), channels, half * k2,
                normStart);
        conv2B = param(discriminator, DcganGraphs.D_CONV2, "b");
        logitW = normalized(normalize, "logit", param(discriminator, GanModels.D_LOGIT, "W"), 1, channels * smallPixels,
                normStart);
        logitB = param(discriminator, GanModels.D_LOGIT, "b");
        int dRows = 2 * packedBatch;
        conv1 = new Convolution(ConvGeometry.halving(rows, cols, inChannels, k), half, dRows);
        ConvGeometry conv2Geometry = ConvGeometry.halving(rows / 2, cols / 2, half, k);
        conv2 = oneDnn ? new OneDnnConvolution(conv2Geometry, channels, dRows) : new Convolution(conv2Geometry, channels, dRows);
        labelMapOut = conditional ? new NativeFloats((long) dRows * imageSize) : null;
        images = new float[dRows * pack * imageSize];
        labelMap = conditional ? new float[dRows * imageSize] : null;
        input = new float[dRows * inChannels * imageSize];
        act1 = new float[conv1.outputSize(dRows)];
        act1Kept = retain < 1 ? new float[act1.length] : act1;
        mask1 = retain < 1 ? new float[act1.length] : null;
        act2 = new float[conv2.outputSize(dRows)];
        act2Kept = retain < 1 ? new float[act2.length] : act2;
        mask2 = retain < 1 ? new float[act2.length] : null;
        logitWeights = new float[channels * smallPixels];
        logitGradient = new float[channels * smallPixels];
        logits = new float[dRows];
        errors = new float[dRows];
        target = new float[dRows];
        delta2 = new float[act2.length];
        delta1 = new float[act1.length];
        inputDelta = new float[input.length];
        code = infoWeight > 0 ? new CodeHead(discriminator, infoWeight, channels, smallPixels, batch, noiseDim) : null;
        Augmentation policy = tricks.augment();
        augment = policy.none() ? null : new DiffAugment(policy.translation(), policy.cutout(), rows, cols, dRows * pack);
    }

    /**
     * What D's tricks on its own layers need: spectral normalization (its power iteration's vectors start from
     * {@code normSeed}) and DiffAugment's policy.
     */
    record DiscriminatorTricks(boolean spectralNorm, Augmentation augment, long normSeed) {
        static final DiscriminatorTricks NONE = new DiscriminatorTricks(false, Augmentation.NONE, 0);
    }

    /** {@code weights}, or with {@code normalize} the spectrally normalized copy D computes with instead. */
    private ParameterMemory normalized(boolean normalize, String layer, ParameterMemory weights, int rows, int cols,
                                       SplittableRandom start) {
        if (!normalize) {
            return weights;
        }
        SpectralNorm norm = new SpectralNorm(weights, rows, cols, start);
        norms.put(layer, norm);
        return norm.normalized();
    }

    @Override
    public Map<String, float[]> state() {
        Map<String, float[]> state = new LinkedHashMap<>();
        norms.forEach((layer, norm) -> state.put("spectralNorm." + layer, norm.state()));
        return state;
    }

    @Override
    public void restore(Map<String, float[]> state) {
        norms.forEach((layer, norm) -> {
            float[] vectors = state.get("spectralNorm." + layer);
            if (vectors != null) {
                norm.restore(vectors);
            }
        });
    }

    /**
     * The direct step for these graphs, or empty when they are not the DCGAN layout it computes on the CPU
     * backend (another layout, batch norm without its log-std statistics, a dropout other than plain dropout,
     * an updater other than the direct Adam path, or the CUDA backend), with the reason.
     */
    static Result forGraphs(ComputationGraph generator, ComputationGraph discriminator,
                            ParameterUpdate generatorUpdate, ParameterUpdate discriminatorUpdate, AdversarialLoss loss,
                            int batch, int pack, int noiseDim, int rows, int cols, int classes,
                            boolean conditional, double infoWeight, DiscriminatorTricks tricks) {
        return forGraphs(generator, discriminator, generatorUpdate, discriminatorUpdate, loss, batch, pack, noiseDim,
                rows, cols, classes, conditional, infoWeight, tricks, OneDnn.available());
    }

    /** As above, with oneDNN's kernels where they pay ({@code oneDnn}, when libnd4j has it) or im2col's only. */
    static Result forGraphs(ComputationGraph generator, ComputationGraph discriminator,
                            ParameterUpdate generatorUpdate, ParameterUpdate discriminatorUpdate, AdversarialLoss loss,
                            int batch, int pack, int noiseDim, int rows, int cols, int classes,
                            boolean conditional, double infoWeight, DiscriminatorTricks tricks, boolean oneDnn) {
        String reason = unsupported(generator, discriminator, generatorUpdate, discriminatorUpdate, conditional);
        if (reason == null && (infoWeight > 0) != hasVertex(discriminator, DcganGraphs.D_CODE)) {
            reason = infoWeight > 0 ? "InfoGAN's weight without the code head on D" : "a code head on D without its weight";
        }
        if (reason != null) {
            return new Result(null, reason);
        }
        return new Result(new DirectDcganStep(generator, discriminator, generatorUpdate, discriminatorUpdate, loss,
                batch, pack, noiseDim, rows, cols, classes, conditional, infoWeight, tricks,
                oneDnn && OneDnn.available()), null);
    }

    @Override
    public double codeLoss() {
        return codeLoss;
    }

    /** Which kernels compute the convolutions, in words for the log. */
    String kernels() {
        return conv2 instanceof OneDnnConvolution
                ? "oneDNN (libnd4j's conv2d and deconv2d) for D's second and G's first, im2col and OpenBLAS for the rest"
                : "im2col and OpenBLAS (libnd4j has no oneDNN here, or gan.oneDnnOff is set)";
    }

    /** The step, or why there is none. */
    record Result(DirectDcganStep step, String reason) {
    }

    private static String unsupported(ComputationGraph generator, ComputationGraph discriminator,
                                      ParameterUpdate generatorUpdate, ParameterUpdate discriminatorUpdate,
                                      boolean conditional) {
        if (!Nd4j.getEnvironment().isCPU()) {
            return "not on the CPU backend";
        }
        if (!generatorUpdate.direct() || !discriminatorUpdate.direct()) {
            return "an updater other than plain Adam";
        }
        if (!(is(generator, DcganGraphs.G_PROJECT, DenseLayer.class, ActivationIdentity.class)
                && is(generator, DcganGraphs.G_DECONV1, Deconvolution2D.class, ActivationIdentity.class)
                && is(generator, DcganGraphs.G_DECONV2, Deconvolution2D.class, ActivationSigmoid.class)
                && halving(generator, DcganGraphs.G_DECONV1) && halving(generator, DcganGraphs.G_DECONV2)
                && plainBatchNorm(generator, DcganGraphs.G_PROJECT_BN)
                && plainBatchNorm(generator, DcganGraphs.G_DECONV1_BN)
                && (generator.getNumLayers() == 5 || generator.getNumLayers() == 7
                        && relu(generator, DcganGraphs.G_PROJECT_RELU) && relu(generator, DcganGraphs.G_DECONV1_RELU)))) {
            return "a generator layout other than gan's DCGAN";
        }
        boolean leakyOrRelu = layerConf(discriminator, DcganGraphs.D_CONV1) != null
                && (layerConf(discriminator, DcganGraphs.D_CONV1).getActivationFn() instanceof ActivationLReLU
                || layerConf(discriminator, DcganGraphs.D_CONV1).getActivationFn() instanceof ActivationReLU);
        if (!(leakyOrRelu && is(discriminator, DcganGraphs.D_CONV1, ConvolutionLayer.class, null)
                && is(discriminator, DcganGraphs.D_CONV2, ConvolutionLayer.class, null)
                && layerConf(discriminator, DcganGraphs.D_CONV1).getActivationFn()
                        .equals(layerConf(discriminator, DcganGraphs.D_CONV2).getActivationFn())
                && halving(discriminator, DcganGraphs.D_CONV1) && halving(discriminator, DcganGraphs.D_CONV2)
                && is(discriminator, GanModels.D_LOGIT, DenseLayer.class, ActivationIdentity.class)
                && (!conditional || is(discriminator, DcganGraphs.D_LABEL_MAP, DenseLayer.class, ActivationIdentity.class))
                && (!hasVertex(discriminator, DcganGraphs.D_CODE)
                        || is(discriminator, DcganGraphs.D_CODE, DenseLayer.class, ActivationIdentity.class))
                && discriminator.getNumLayers() == (conditional ? 4 : 3)
                        + (hasVertex(discriminator, DcganGraphs.D_CODE) ? 1 : 0))) {
            return "a discriminator layout other than gan's DCGAN";
        }
        IDropout first = layerConf(discriminator, DcganGraphs.D_CONV1).getIDropout();
        IDropout second = layerConf(discriminator, DcganGraphs.D_CONV2).getIDropout();
        IDropout logit = layerConf(discriminator, GanModels.D_LOGIT).getIDropout();
        if (first != null || (second == null) != (logit == null)
                || second != null && !(second instanceof Dropout a && logit instanceof Dropout b
                        && a.getP() == b.getP() && a.getPSchedule() == null && b.getPSchedule() == null)) {
            return "a dropout other than the DCGAN's plain dropout in D";
        }
        return null;
    }

    @Override
    public Engine engine() {
        return Engine.DIRECT;
    }

    @Override
    public INDArray generate(INDArray noise, INDArray labels, INDArray fakes) {
        anchor.checkUnmoved();
        if (code != null) {
            code.readCodes(noise, batch); // this iteration's fakes: D's and G's steps read the same
        }
        int projected = channels * smallPixels;
        FloatPointer out = projectOut.pointer();
        Sgemm.multiply(false, true, batch, projected, noiseDim, 1f, Sgemm.pointer(noise), noiseDim,
                projectW.values(), projectIn, 0f, out, projected);
        if (conditional) {
            Sgemm.multiply(false, true, batch, projected, classes, gLabelScale, Sgemm.pointer(labels), classes,
                    DirectSteps.at(projectW.values(), noiseDim), projectIn, 1f, out, projected);
        }
        projectOut.store(projectPre, batch * projected);
        Layouts.addBias(projectPre, batch, projectB.read(bias), projected);
        projectNorm.forward(projectPre, batch, projectBn[0], projectBn[1], reluAfterNorm, projectAct);
        Layouts.transpose(projectAct, batch, channels, smallPixels, deconv1In, true);
        deconv1.forward(deconv1In, batch, deconv1W, deconv1B, deconv1Pre);
        deconv1Norm.forward(deconv1Pre, batch * 4 * smallPixels, deconv1Bn[0], deconv1Bn[1], reluAfterNorm, deconv1Act);
        deconv2.forward(deconv1Act, batch, deconv2W, deconv2B, fake);
        // libnd4j's sigmoid, not a Java loop: Math.exp does not vectorize.
        FloatPointer images = Sgemm.pointer(fakes);
        images.position(0).put(fake, 0, batch * imageSize);
        Nd4j.getExecutioner().exec(new Sigmoid(fakes, fakes));
        images.position(0).get(fake, 0, batch * imageSize);
        return fakes;
    }

    @Override
    public double[] updateDiscriminator(INDArray images, INDArray labels, INDArray targets, int iteration, int epoch) {
        anchor.checkUnmoved();
        int n = 2 * packedBatch;
        discriminatorForward(images, labels, n);
        Sgemm.pointer(targets).get(target, 0, n);
        double[] stats = loss.discriminator(logits, target, n, packedBatch, errors);
        if (code != null) {
            code.forward(act2Kept, packedBatch, packedBatch); // the fakes: D's rows after the real ones
        }
        discriminatorBackward(labels, n, true);
        for (SpectralNorm norm : norms.values()) {
            norm.backward();
        }
        discriminatorUpdate.applyFromView(iteration, epoch, packedBatch);
        return stats;
    }

    @Override
    public double updateGenerator(INDArray noise, INDArray labels, INDArray fakes, INDArray fakeLabelsPacked,
                                  int iteration, int epoch) {
        anchor.checkUnmoved();
        int n = packedBatch;
        discriminatorForward(fakes, fakeLabelsPacked, n);
        double gLoss = loss.generator(logits, n, errors);
        if (code != null) {
            codeLoss = code.forward(act2Kept, 0, n);
        }
        discriminatorBackward(fakeLabelsPacked, n, false);
        if (augment != null) {
            augment.backward(fakeDelta, batch); // to G's images from the augmented ones D saw
        }
        // dLoss/dImage through G's sigmoid output.
        int pixels = batch * imageSize;
        for (int i = 0; i < pixels; i++) {
            float a = fake[i];
            fakeDelta[i] *= (1f - a) * a;
        }
        deconv2.backward(fakeDelta, batch, deconv2W, deconv2B, deconv1ActDelta);
        deconv1Norm.backward(deconv1ActDelta, deconv1Act, batch * 4 * smallPixels, reluAfterNorm, deconv1Bn[0], deconv1Bn[1],
                deconv1Bn[2], deconv1Bn[3], deconv1PreDelta);
        deconv1.backward(deconv1PreDelta, batch, deconv1W, deconv1B, deconv1InDelta);
        Layouts.transpose(deconv1InDelta, batch, channels, smallPixels, projectActDelta, false);
        projectNorm.backward(projectActDelta, projectAct, batch, reluAfterNorm, projectBn[0], projectBn[1], projectBn[2],
                projectBn[3], projectPreDelta);
        int projected = channels * smallPixels;
        projectB.writeGradient(Layouts.columnSums(projectPreDelta, batch, projected, bias));
        FloatPointer delta = projectOut.load(projectPreDelta, batch * projected);
        Sgemm.multiply(true, false, projected, noiseDim, batch, 1f, delta, projected, Sgemm.pointer(noise), noiseDim,
                0f, projectW.gradient(), projectIn);
        if (conditional) {
            Sgemm.multiply(true, false, projected, classes, batch, gLabelScale, delta, projected,
                    Sgemm.pointer(labels), classes, 0f, DirectSteps.at(projectW.gradient(), noiseDim), projectIn);
        }
        generatorUpdate.applyFromView(iteration, epoch, packedBatch);
        return gLoss;
    }

    /** D on {@code n} packed examples (images pack per row, then labels): logits into {@link #logits}. */
    private void discriminatorForward(INDArray packedImages, INDArray packedLabels, int n) {
        // As torch's spectral_norm in training mode: one power iteration each time D judges a batch.
        for (SpectralNorm norm : norms.values()) {
            norm.normalize(true);
        }
        int width = pack * imageSize;
        Sgemm.pointer(packedImages).get(images, 0, n * width);
        if (augment != null) {
            augment.apply(images, n * pack, Nd4j.getRandom().nextLong());
        }
        if (conditional) {
            int labelWidth = pack * classes;
            Sgemm.multiply(false, true, n, imageSize, labelWidth, dLabelScale, Sgemm.pointer(packedLabels), labelWidth,
                    labelMapW.values(), labelWidth, 0f, labelMapOut.pointer(), imageSize);
            labelMapOut.store(labelMap, n * imageSize);
            Layouts.addBias(labelMap, n, labelMapB.read(bias), imageSize);
        }
        // NCHW (pack image channels, then the label map) to NHWC.
        Layouts.interleave(images, n, pack, imageSize, input, inChannels, 0);
        if (conditional) {
            Layouts.interleave(labelMap, n, 1, imageSize, input, inChannels, pack);
        }
        long seed = retain < 1 ? Nd4j.getRandom().nextLong() : 0;
        conv1.forward(input, n, conv1W, conv1B, dSlope, act1);
        int size1 = conv1.outputSize(n);
        if (retain < 1) {
            seed = dropout(act1, act1Kept, mask1, size1, seed);
        }
        conv2.forward(act1Kept, n, conv2W, conv2B, dSlope, act2);
        int size2 = conv2.outputSize(n);
        if (retain < 1) {
            dropout(act2, act2Kept, mask2, size2, seed);
        }
        // The logit's weights are in DL4J's flattening order [C][h*w]; the activations are [h*w][C].
        Layouts.transpose(logitW.read(logitGradient), 1, channels, smallPixels, logitWeights, true);
        Layouts.dotRows(act2Kept, n, channels * smallPixels, logitWeights, logitB.values().get(0), logits);
    }

    /**
     * Backward through D from {@link #errors} (dLoss/dlogit per example). With {@code parameterGradients} D's
     * summed gradients go to its gradient view; without, dLoss/dImage goes to {@link #fakeDelta} (one image per
     * row, unpacked) and D's gradient view is left alone.
     */
    private void discriminatorBackward(INDArray packedLabels, int n, boolean parameterGradients) {
        int features = channels * smallPixels;
        if (parameterGradients) {
            Layouts.weightedColumnSums(act2Kept, errors, n, features, logitGradient);
            float biasGradient = 0;
            for (int i = 0; i < n; i++) {
                biasGradient += errors[i];
            }
            Layouts.transpose(logitGradient, 1, channels, smallPixels, delta2, false);
            logitW.writeGradient(delta2);
            logitB.gradient().put(biasGradient);
        }
        Layouts.outerProduct(errors, n, logitWeights, features, delta2);
        if (code != null) {
            code.backward(act2Kept, delta2, parameterGradients);
        }
        conv2.backwardThroughActivation(delta2, act2, dSlope, mask2, n, conv2W, conv2B, parameterGradients, delta1);
        // Only the input channels someone reads: the label map's in D's step (cGAN), the images' in G's.
        conv1.backwardThroughActivation(delta1, act1, dSlope, mask1, n, conv1W, conv1B, parameterGradients, null);
        if (parameterGradients && conditional) {
            conv1.inputDelta(n, pack, 1, labelMap); // one channel: NHWC is the flat map
            labelMapB.writeGradient(Layouts.columnSums(labelMap, n, imageSize, bias));
            int labelWidth = pack * classes;
            FloatPointer mapDelta = labelMapOut.load(labelMap, n * imageSize);
            Sgemm.multiply(true, false, imageSize, labelWidth, n, dLabelScale, mapDelta, imageSize,
                    Sgemm.pointer(packedLabels), labelWidth, 0f, labelMapW.gradient(), labelWidth);
        }
        if (!parameterGradients) {
            if (pack == 1) {
                conv1.inputDelta(n, 0, 1, fakeDelta);
            } else {
                conv1.inputDelta(n, 0, pack, inputDelta);
                // NHWC [example][pixel][image] to one image per row.
                for (int e = 0; e < n; e++) {
                    int from = e * pack * imageSize;
                    for (int ch = 0; ch < pack; ch++) {
                        int to = (e * pack + ch) * imageSize;
                        for (int p = 0; p < imageSize; p++) {
                            fakeDelta[to + p] = inputDelta[from + p * pack + ch];
                        }
                    }
                }
            }
        }
    }

    /**
     * Inverted dropout: kept = values * mask, mask 1/retain with probability retain, else 0. The masks come from
     * xorshift64* seeded by {@code seed}; returns the generator's state for the next mask.
     */
    private long dropout(float[] values, float[] kept, float[] mask, int length, long seed) {
        long state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
        float scale = 1f / retain;
        // Keep when the top 24 bits, as a fraction of 2^24, fall below retain.
        int threshold = (int) Math.round(retain * (double) (1 << 24));
        for (int i = 0; i < length; i++) {
            state ^= state >>> 12;
            state ^= state << 25;
            state ^= state >>> 27;
            int bits = (int) ((state * 0x2545F4914F6CDD1DL) >>> 40);
            float m = scale * ((bits - threshold) >>> 31); // 1 when bits < threshold, without a branch
            mask[i] = m;
            kept[i] = values[i] * m;
        }
        return state;
    }

    private static ParameterMemory param(ComputationGraph graph, String layer, String key) {
        return GraphMemory.parameter(graph, layer, key);
    }

    private static ParameterMemory[] batchNormParams(ComputationGraph graph, String layer) {
        return new ParameterMemory[] {param(graph, layer, "gamma"), param(graph, layer, "beta"),
                param(graph, layer, "mean"), param(graph, layer, "log10stdev")};
    }

    private static BaseLayer layerConf(ComputationGraph graph, String name) {
        if (!hasVertex(graph, name) || !graph.getVertex(name).hasLayer()) {
            return null;
        }
        return graph.getLayer(name).conf().getLayer() instanceof BaseLayer base ? base : null;
    }

    private static BatchNormalization batchNorm(ComputationGraph graph, String name) {
        return (BatchNormalization) layerConf(graph, name);
    }

    private static boolean is(ComputationGraph graph, String name, Class<?> type,
                              Class<? extends IActivation> activation) {
        BaseLayer conf = layerConf(graph, name);
        return type.isInstance(conf) && (activation == null || activation.isInstance(conf.getActivationFn()))
                && (conf instanceof ConvolutionLayer c ? c.hasBias() : true);
    }

    /** Batch norm with learned gamma and beta and log10-std statistics (its configured activation DL4J ignores). */
    private static boolean plainBatchNorm(ComputationGraph graph, String name) {
        return layerConf(graph, name) instanceof BatchNormalization bn && bn.isUseLogStd() && !bn.isLockGammaBeta();
    }

    private static boolean relu(ComputationGraph graph, String name) {
        return hasVertex(graph, name) && graph.getLayer(name).conf().getLayer() instanceof ActivationLayer a
                && a.getActivationFn() instanceof ActivationReLU;
    }

    /** ComputationGraph.getLayer throws for a name it does not have; this asks first. */
    private static boolean hasVertex(ComputationGraph graph, String name) {
        return graph.getConfiguration().getVertices().containsKey(name);
    }

    /**
     * A 4x4, stride-2, "Same"-mode convolution (or transposed convolution, a subclass) with no dilation: the
     * geometry {@link ConvGeometry#halving}.
     */
    private static boolean halving(ComputationGraph graph, String name) {
        return layerConf(graph, name) instanceof ConvolutionLayer c && c.getConvolutionMode() == ConvolutionMode.Same
                && c.getKernelSize()[0] == DcganGraphs.KERNEL && c.getKernelSize()[1] == DcganGraphs.KERNEL
                && c.getStride()[0] == 2 && c.getStride()[1] == 2 && c.getDilation()[0] == 1 && c.getDilation()[1] == 1
                && c.getCnn2dDataFormat() == org.deeplearning4j.nn.conf.CNN2DFormat.NCHW;
    }

    private static Optional<Float> dropoutRetain(ComputationGraph discriminator) {
        IDropout dropout = layerConf(discriminator, DcganGraphs.D_CONV2).getIDropout();
        return dropout instanceof Dropout plain ? Optional.of((float) plain.getP()) : Optional.empty();
    }
}
