package dev.gan.engine;

import dev.gan.config.Engine;
import dev.gan.model.GanModels;
import dev.gan.model.ReusingDenseLayer;
import dev.gan.nn.Layouts;
import dev.gan.optim.ParameterUpdate;
import dev.gan.util.Sgemm;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * The MLP GAN's forward and backward passes written out by hand over the graphs' own parameter and gradient
 * memory: OpenBLAS's sgemm for the matrix multiplies, Java loops for bias, activations and losses, and every
 * working array allocated once. The graphs stay the models (their parameters, Adam state and files are DL4J's);
 * only the arithmetic of one iteration bypasses DL4J's graph machinery.
 *
 * <p>Why: with ComputationGraph, an iteration of the reference MLP GAN took 1.5-1.7x PyTorch's time on this
 * CPU although its multiplies ran as fast as PyTorch's; the profile put the rest in DL4J's per-layer and
 * per-array costs (array creation 12%, zero-filling 6%, about 60 small ND4J ops). Here an iteration is the
 * minimal set of multiplies plus a few passes over the data.
 *
 * <p>Layout: DL4J stores a dense layer's weights W (nIn x nOut) in Fortran order, which is W transposed in
 * row-major order: a row-major (nOut x nIn) matrix whose row stride is nIn. Activations are row-major
 * (examples x units). A conditional layer's input is [x | scale * one-hot label] (MergeVertex order), so its
 * weights split at column nX of the transposed matrix into an x part and a label part; the two are multiplied
 * separately instead of copying the inputs side by side. Gradients are sums over the examples, as DL4J's
 * layers leave them, and {@link ParameterUpdate} divides by the example count.
 *
 * <p>Results match the graph path to float rounding, not to the bit (different summation order in bias
 * gradients, Java's exp in the losses): tested against it step by step.
 */
final class DirectMlpStep implements TrainingStep {

    private final Dense gHidden;
    private final Dense gOut;
    private final Dense dHidden;
    private final Dense dLogit;
    private final ParameterUpdate generatorUpdate;
    private final ParameterUpdate discriminatorUpdate;
    private final AdversarialLoss loss;
    private final float gLabelScale;
    private final float dLabelScale;
    /** LeakyReLU slope of D's hidden layer (0 = ReLU). */
    private final float dSlope;
    /** Where the graphs' flat parameter arrays were at the first step (see {@link #checkUnmoved}). */
    private final DirectSteps.Anchor anchor;
    private final int batch;
    private final int packedBatch;
    private final int noiseDim;
    private final int imageSize;
    private final int classes;
    private final int pack;
    private final boolean conditional;

    // Native working memory for the multiplies, row-major, allocated once: the INDArrays own it (and keep it
    // alive as long as this object), the pointers are how OpenBLAS and the copies reach it.
    private final INDArray nativeMemory;
    private final FloatPointer gHiddenOut;      // B x Hg: G's hidden activations
    private final FloatPointer dHiddenOut;      // 2Bp x Hd: D's hidden pre-activations (real rows first)
    private final FloatPointer dHiddenDelta;    // 2Bp x Hd: dLoss/d(pre-activation) of D's hidden layer
    private final FloatPointer imageDelta;      // B x imageSize: dLoss/dImage, then dLoss/d(G's output pre-activation)
    private final FloatPointer gHiddenDelta;    // B x Hg
    // Java copies for the element-wise passes (loops over arrays vectorize; loops over native buffers do not).
    private final float[] gHiddenCopy;      // G's hidden activations
    private final float[] fakeCopy;         // G's output
    private final float[] dHiddenCopy;      // D's hidden activations
    private final float[] dDeltaCopy;
    private final float[] imageCopy;
    private final float[] gDeltaCopy;
    private final float[] errors;
    private final float[] target;
    private final float[] vector;           // a bias or D's logit weights
    private final float[] sums;

    /** A dense layer's parameter and gradient memory: W^T row-major (out x in), bias (out). */
    private record Dense(FloatPointer weights, FloatPointer bias, FloatPointer weightGradient,
                         FloatPointer biasGradient, INDArray biasArray, int in, int out) {

        /** The weights of input columns from {@code column} on (the label part of a merged input). */
        FloatPointer weightsFrom(int column) {
            return DirectSteps.at(weights, column);
        }

        FloatPointer weightGradientFrom(int column) {
            return DirectSteps.at(weightGradient, column);
        }
    }

    private DirectMlpStep(ComputationGraph generator, ComputationGraph discriminator, ParameterUpdate generatorUpdate,
                          ParameterUpdate discriminatorUpdate, AdversarialLoss loss, int batch, int pack, int noiseDim,
                          int imageSize, int classes, boolean conditional) {
        this.generatorUpdate = generatorUpdate;
        this.discriminatorUpdate = discriminatorUpdate;
        this.loss = loss;
        this.anchor = new DirectSteps.Anchor(generator, discriminator);
        this.batch = batch;
        this.pack = pack;
        this.packedBatch = batch / pack;
        this.noiseDim = noiseDim;
        this.imageSize = imageSize;
        this.classes = classes;
        this.conditional = conditional;
        gHidden = dense(generator, GanModels.G_HIDDEN);
        gOut = dense(generator, GanModels.G_OUT);
        dHidden = dense(discriminator, GanModels.D_HIDDEN);
        dLogit = dense(discriminator, GanModels.D_LOGIT);
        gLabelScale = DirectSteps.labelScale(generator);
        dLabelScale = DirectSteps.labelScale(discriminator);
        IActivation dActivation = activation(discriminator, GanModels.D_HIDDEN);
        dSlope = dActivation instanceof ActivationLReLU leaky ? (float) leaky.getAlpha() : 0f;
        int hg = gHidden.out();
        int hd = dHidden.out();
        long dRows = 2L * packedBatch;
        long[] sizes = {(long) batch * hg, dRows * hd, dRows * hd, (long) batch * imageSize, (long) batch * hg};
        nativeMemory = Nd4j.create(DataType.FLOAT, Arrays.stream(sizes).sum());
        FloatPointer[] parts = new FloatPointer[sizes.length];
        long start = Sgemm.address(nativeMemory);
        for (int i = 0; i < sizes.length; i++) {
            parts[i] = Sgemm.floats(start, sizes[i]);
            start += sizes[i] * Float.BYTES;
        }
        gHiddenOut = parts[0];
        dHiddenOut = parts[1];
        dHiddenDelta = parts[2];
        imageDelta = parts[3];
        gHiddenDelta = parts[4];
        gHiddenCopy = new float[batch * hg];
        fakeCopy = new float[batch * imageSize];
        dHiddenCopy = new float[2 * packedBatch * hd];
        dDeltaCopy = new float[2 * packedBatch * hd];
        imageCopy = new float[batch * imageSize];
        gDeltaCopy = new float[batch * hg];
        errors = new float[2 * packedBatch];
        target = new float[2 * packedBatch];
        vector = new float[Math.max(imageSize, Math.max(hg, hd))];
        sums = new float[vector.length];
    }

    /**
     * The direct step for these graphs, or null when they are not the plain two-layer MLPs it computes on the
     * CPU backend (the DCGAN, dropout in D, an activation other than ReLU/LeakyReLU/sigmoid/identity, an
     * updater that is not the direct Adam path, or the CUDA backend): those train through DL4J's graph methods.
     */
    static DirectMlpStep forGraphs(ComputationGraph generator, ComputationGraph discriminator,
                                   ParameterUpdate generatorUpdate, ParameterUpdate discriminatorUpdate, AdversarialLoss loss,
                                   int batch, int pack, int noiseDim, int imageSize, int classes, boolean conditional) {
        if (!Nd4j.getEnvironment().isCPU() // on CUDA the arrays live in GPU memory (and the build has no OpenBLAS)
                || !generatorUpdate.direct() || !discriminatorUpdate.direct()
                || !isLayer(generator, GanModels.G_HIDDEN, ActivationReLU.class)
                || !isLayer(generator, GanModels.G_OUT, ActivationSigmoid.class)
                || !(isLayer(discriminator, GanModels.D_HIDDEN, ActivationReLU.class)
                        || isLayer(discriminator, GanModels.D_HIDDEN, ActivationLReLU.class))
                || !isLayer(discriminator, GanModels.D_LOGIT, ActivationIdentity.class)
                || generator.getNumLayers() != 2 || discriminator.getNumLayers() != 2) {
            return null;
        }
        int labels = conditional ? classes : 0;
        Dense gIn = dense(generator, GanModels.G_HIDDEN);
        Dense dIn = dense(discriminator, GanModels.D_HIDDEN);
        if (gIn.in() != noiseDim + labels || dIn.in() != pack * (imageSize + labels)
                || dense(generator, GanModels.G_OUT).out() != imageSize
                || dense(discriminator, GanModels.D_LOGIT).out() != 1) {
            return null;
        }
        return new DirectMlpStep(generator, discriminator, generatorUpdate, discriminatorUpdate, loss, batch, pack,
                noiseDim, imageSize, classes, conditional);
    }

    /**
     * G's forward pass in training mode: {@code noise} and {@code labels} (B rows; labels null for a plain GAN)
     * to images written into {@code fakes} (B x imageSize, contiguous).
     */
    @Override
    public double[] updateDiscriminator(INDArray images, INDArray labels, INDArray targets, int iteration, int epoch) {
        double[] stats = discriminatorGradient(images, labels, targets);
        discriminatorUpdate.applyFromView(iteration, epoch, packedBatch);
        return stats;
    }

    @Override
    public double updateGenerator(INDArray noise, INDArray labels, INDArray fakes, INDArray fakeLabelsPacked,
                                  int iteration, int epoch) {
        double gLoss = generatorGradient(noise, labels, fakes, fakeLabelsPacked, loss);
        generatorUpdate.applyFromView(iteration, epoch, packedBatch);
        return gLoss;
    }

    @Override
    public Engine engine() {
        return Engine.DIRECT;
    }

    @Override
    public INDArray generate(INDArray noise, INDArray labels, INDArray fakes) {
        anchor.checkUnmoved();
        int hg = gHidden.out();
        linear(gHidden, pointer(noise), noiseDim, conditional ? pointer(labels) : null, classes, gLabelScale,
                batch, gHiddenOut);
        gHiddenOut.get(gHiddenCopy, 0, batch * hg);
        biasAndActivation(gHiddenCopy, load(gHidden.bias(), hg), batch, hg, 0f);
        gHiddenOut.put(gHiddenCopy, 0, batch * hg);
        FloatPointer out = pointer(fakes);
        gemm(false, true, batch, imageSize, hg, 1f, gHiddenOut, hg, gOut.weights(), gOut.in(), 0f, out, imageSize);
        // libnd4j's sigmoid, not a Java loop: Math.exp does not vectorize (measured 225 us against 390 us here).
        fakes.addiRowVector(gOut.biasArray());
        Nd4j.getExecutioner().exec(new Sigmoid(fakes, fakes));
        out.get(fakeCopy, 0, batch * imageSize);
        return fakes;
    }

    /**
     * D's step on its 2B images (real first; packed rows as D sees them) with targets {@code targets}: leaves
     * the summed parameter gradient in D's gradient view and returns {loss, mean D(real), mean D(fake)}.
     */
    double[] discriminatorGradient(INDArray images, INDArray labels, INDArray targets) {
        anchor.checkUnmoved();
        int rows = 2 * packedBatch;
        int width = pack * imageSize;
        int hd = dHidden.out();
        FloatPointer x = pointer(images);
        FloatPointer l = conditional ? pointer(labels) : null;
        dHiddenForward(x, width, l, rows);
        pointer(targets).get(target, 0, rows);
        float[] logits = logits(rows);
        double[] stats = loss.discriminator(logits, target, rows, packedBatch, errors);
        // The logit layer: dW = h^T e, db = sum e.
        float[] weightGradient = sums;
        Arrays.fill(weightGradient, 0, hd, 0f);
        float biasGradient = 0;
        for (int i = 0; i < rows; i++) {
            float e = errors[i];
            biasGradient += e;
            int row = i * hd;
            for (int j = 0; j < hd; j++) {
                weightGradient[j] += dHiddenCopy[row + j] * e;
            }
        }
        dLogit.weightGradient().put(weightGradient, 0, hd);
        dLogit.biasGradient().put(biasGradient);
        // The hidden layer.
        hiddenDelta(rows);
        dHiddenDelta.put(dDeltaCopy, 0, rows * hd);
        dHidden.biasGradient().put(Layouts.columnSums(dDeltaCopy, rows, hd, sums), 0, hd);
        gemm(true, false, hd, width, rows, 1f, dHiddenDelta, hd, x, width, 0f, dHidden.weightGradient(), dHidden.in());
        if (conditional) {
            gemm(true, false, hd, pack * classes, rows, dLabelScale, dHiddenDelta, hd, l, pack * classes, 0f,
                    dHidden.weightGradientFrom(width), dHidden.in());
        }
        return stats;
    }

    /**
     * G's step: D (as it is now) judges {@code fakes} (packed rows), the loss's gradient flows back through D to
     * the images and through G; G's summed parameter gradient is left in its gradient view. {@code noise},
     * {@code labels} and {@code fakes} must be those of this iteration's {@link #generate}. Returns G's loss.
     */
    double generatorGradient(INDArray noise, INDArray labels, INDArray fakes, INDArray fakeLabelsPacked,
                             AdversarialLoss loss) {
        anchor.checkUnmoved();
        int rows = packedBatch;
        int width = pack * imageSize;
        int hd = dHidden.out();
        int hg = gHidden.out();
        dHiddenForward(pointer(fakes), width, conditional ? pointer(fakeLabelsPacked) : null, rows);
        float[] logits = logits(rows);
        double gLoss = loss.generator(logits, rows, errors);
        hiddenDelta(rows);
        dHiddenDelta.put(dDeltaCopy, 0, rows * hd);
        // dLoss/dImage: the hidden layer's delta through the image part of D's weights.
        gemm(false, false, rows, width, hd, 1f, dHiddenDelta, hd, dHidden.weights(), dHidden.in(), 0f, imageDelta,
                width);

        // G's output layer: sigmoid's derivative from its output.
        int n = batch * imageSize;
        imageDelta.get(imageCopy, 0, n);
        for (int i = 0; i < n; i++) {
            float a = fakeCopy[i];
            imageCopy[i] = (1f - a) * a * imageCopy[i];
        }
        imageDelta.put(imageCopy, 0, n);
        gOut.biasGradient().put(Layouts.columnSums(imageCopy, batch, imageSize, sums), 0, imageSize);
        gemm(true, false, imageSize, hg, batch, 1f, imageDelta, imageSize, gHiddenOut, hg, 0f, gOut.weightGradient(),
                gOut.in());
        // G's hidden layer (ReLU).
        gemm(false, false, batch, hg, imageSize, 1f, imageDelta, imageSize, gOut.weights(), gOut.in(), 0f,
                gHiddenDelta, hg);
        int m = batch * hg;
        gHiddenDelta.get(gDeltaCopy, 0, m);
        for (int i = 0; i < m; i++) {
            gDeltaCopy[i] *= derivative(gHiddenCopy[i], 0f);
        }
        gHiddenDelta.put(gDeltaCopy, 0, m);
        gHidden.biasGradient().put(Layouts.columnSums(gDeltaCopy, batch, hg, sums), 0, hg);
        gemm(true, false, hg, noiseDim, batch, 1f, gHiddenDelta, hg, pointer(noise), noiseDim, 0f,
                gHidden.weightGradient(), gHidden.in());
        if (conditional) {
            gemm(true, false, hg, classes, batch, gLabelScale, gHiddenDelta, hg, pointer(labels), classes, 0f,
                    gHidden.weightGradientFrom(noiseDim), gHidden.in());
        }
        return gLoss;
    }

    /** D's hidden layer on {@code rows} rows of x (and labels): activations into {@link #dHiddenCopy}. */
    private void dHiddenForward(FloatPointer x, int width, FloatPointer labels, int rows) {
        int hd = dHidden.out();
        linear(dHidden, x, width, labels, pack * classes, dLabelScale, rows, dHiddenOut);
        dHiddenOut.get(dHiddenCopy, 0, rows * hd);
        biasAndActivation(dHiddenCopy, load(dHidden.bias(), hd), rows, hd, dSlope);
    }

    /** out = x W_x^T (+ scale * labels W_label^T), bias not yet added. */
    private static void linear(Dense layer, FloatPointer x, int xWidth, FloatPointer labels, int labelWidth,
                               float labelScale, int rows, FloatPointer out) {
        gemm(false, true, rows, layer.out(), xWidth, 1f, x, xWidth, layer.weights(), layer.in(), 0f, out,
                layer.out());
        if (labels != null) {
            gemm(false, true, rows, layer.out(), labelWidth, labelScale, labels, labelWidth,
                    layer.weightsFrom(xWidth), layer.in(), 1f, out, layer.out());
        }
    }

    /** D's logit for each of the first {@code rows} rows of its hidden activations (a one-unit layer). */
    private float[] logits(int rows) {
        int hd = dHidden.out();
        float[] w = load(dLogit.weights(), hd);
        float b = dLogit.bias().get(0);
        float[] out = errors; // the caller turns each logit into its error in place
        for (int i = 0; i < rows; i++) {
            float sum = 0;
            int row = i * hd;
            for (int j = 0; j < hd; j++) {
                sum += dHiddenCopy[row + j] * w[j];
            }
            out[i] = sum + b;
        }
        return out;
    }

    /**
     * D's hidden delta from the logit errors: delta[i][j] = error[i] * w[j] * f'(hidden[i][j]), f ReLU (slope 0)
     * or LeakyReLU, its derivative read from its output. Uses {@link #vector}, which holds w after {@link #logits}.
     */
    private void hiddenDelta(int rows) {
        int hd = dHidden.out();
        float[] w = vector;
        float slope = dSlope;
        for (int i = 0; i < rows; i++) {
            float e = errors[i];
            int row = i * hd;
            for (int j = 0; j < hd; j++) {
                dDeltaCopy[row + j] = e * w[j] * derivative(dHiddenCopy[row + j], slope);
            }
        }
    }

    /**
     * values[i][j] = f(values[i][j] + bias[j]) with f ReLU (slope 0) or LeakyReLU: max(v, slope v) for slopes
     * in [0, 1). Written without a branch, as is {@link #derivative}: the sign of a pre-activation is a coin toss,
     * and a mispredicted branch per element cost more than the arithmetic (measured).
     */
    private static void biasAndActivation(float[] values, float[] bias, int rows, int width, float slope) {
        for (int i = 0; i < rows; i++) {
            int row = i * width;
            for (int j = 0; j < width; j++) {
                float v = values[row + j] + bias[j];
                values[row + j] = Math.max(v, slope * v);
            }
        }
    }

    /** f'(z) from a = f(z) for ReLU (slope 0) or LeakyReLU: 1 where a > 0, else the slope. */
    private static float derivative(float a, float slope) {
        return slope + (1f - slope) * Math.max(Math.signum(a), 0f);
    }

    /** The first {@code n} floats at {@code from}, copied into {@link #vector}. */
    private float[] load(FloatPointer from, int n) {
        from.get(vector, 0, n);
        return vector;
    }

    private static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, FloatPointer a,
                             int lda, FloatPointer b, int ldb, float beta, FloatPointer c, int ldc) {
        Sgemm.multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    private static Dense dense(ComputationGraph graph, String name) {
        Layer layer = graph.getLayer(name);
        INDArray w = layer.getParam(DefaultParamInitializer.WEIGHT_KEY);
        INDArray b = layer.getParam(DefaultParamInitializer.BIAS_KEY);
        // The gradient view has the parameters' layout: same offsets from its start.
        long params = address(graph.params());
        long gradients = address(graph.getFlattenedGradients());
        long wAddress = address(w);
        long bAddress = address(b);
        return new Dense(Sgemm.floats(wAddress, w.length()), Sgemm.floats(bAddress, b.length()),
                Sgemm.floats(gradients + (wAddress - params), w.length()),
                Sgemm.floats(gradients + (bAddress - params), b.length()),
                b, (int) w.size(0), (int) w.size(1));
    }

    private static boolean isLayer(ComputationGraph graph, String name, Class<? extends IActivation> activation) {
        Layer layer = graph.getLayer(name);
        if (!(layer instanceof ReusingDenseLayer.Reusing)) {
            return false; // DL4J's own dense layer: dropout or other per-layer settings this step does not compute
        }
        return activation.isInstance(activation(graph, name))
                && layer.getParam(DefaultParamInitializer.WEIGHT_KEY).ordering() == 'f';
    }

    private static IActivation activation(ComputationGraph graph, String name) {
        return ((BaseLayer) graph.getLayer(name).conf().getLayer()).getActivationFn();
    }

    private static FloatPointer pointer(INDArray array) {
        return Sgemm.pointer(array);
    }

    private static long address(INDArray array) {
        return Sgemm.address(array);
    }
}
