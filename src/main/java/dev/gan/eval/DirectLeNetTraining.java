package dev.gan.eval;

import dev.gan.nn.Layouts;
import dev.gan.nn.NativeFloats;
import dev.gan.nn.ParameterMemory;
import dev.gan.optim.ParameterUpdate;
import dev.gan.util.Sgemm;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import java.util.Optional;

/**
 * One training step of the digit classifier ({@link DigitClassifier#create}'s LeNet): {@link LeNetPasses}'s
 * forward pass, softmax cross-entropy, the backward pass on the same kernels, then Adam through
 * {@link ParameterUpdate} - what {@code graph.fit} computes, without DL4J's per-layer im2col copies (measured
 * 205 ms a batch of 64 there).
 */
final class DirectLeNetTraining implements ClassifierStep {

    private final ComputationGraph graph;
    private final ParameterUpdate update;
    private final LeNetPasses passes;
    private final float[] hiddenDelta;
    private final float[] flatDelta;
    private final float[] pooled2Delta;
    private final float[] act2Delta;
    private final float[] pooled1Delta;
    private final float[] act1Delta;

    private DirectLeNetTraining(ComputationGraph graph, ParameterUpdate update, LeNetPasses passes) {
        this.graph = graph;
        this.update = update;
        this.passes = passes;
        hiddenDelta = new float[passes.hidden.length];
        flatDelta = new float[passes.flatInput.length];
        pooled2Delta = new float[passes.pooled2.length];
        act2Delta = new float[passes.act2.length];
        pooled1Delta = new float[passes.pooled1.length];
        act1Delta = new float[passes.act1.length];
    }

    /**
     * The direct step for {@code graph} at this batch size, or empty when the graph is not the classifier's own
     * layout on the CPU backend (see {@link LeNetPasses#of}) with cross-entropy and plain Adam (DL4J's fit is used
     * then).
     */
    static Optional<DirectLeNetTraining> of(ComputationGraph graph, int batch) {
        if (!LeNetPasses.isLeNet(graph)) {
            return Optional.empty();
        }
        var output = ((LayerVertex) graph.getConfiguration().getVertices().get(DigitClassifier.OUTPUT))
                .getLayerConf().getLayer();
        ParameterUpdate update = ParameterUpdate.of(graph);
        if (!(output instanceof OutputLayer out && out.getLossFn() instanceof LossMCXENT) || !update.direct()) {
            return Optional.empty();
        }
        return LeNetPasses.forTraining(graph, batch).map(passes -> new DirectLeNetTraining(graph, update, passes));
    }

    /** {@inheritDoc} The graph's iteration count moves on as DL4J's {@code fit} moves it. */
    @Override
    public double fit(float[] pixels, int[] labels, int epoch) {
        LeNetPasses p = passes;
        int n = p.batch;
        int classes = p.classes;
        System.arraycopy(pixels, 0, p.images, 0, p.images.length);
        p.forward(n);
        // Softmax cross-entropy: the gradient per example is p - y (summed; the update divides by n).
        double loss = 0;
        float[] logits = p.logits;
        for (int i = 0; i < n; i++) {
            int row = i * classes;
            p.softmax(i, logits, row);
            loss -= Math.log(Math.max(logits[row + labels[i]], 1e-30f));
            logits[row + labels[i]] -= 1f;
        }
        // Backward.
        float[] outputDelta = logits;
        denseBackward(outputDelta, classes, p.hidden, p.features, p.outputW, p.outputB, p.nativeLogits, p.nativeHidden,
                hiddenDelta);
        Layouts.multiplyByDerivative(hiddenDelta, p.hidden, 0f, null, n * p.features);
        denseBackward(hiddenDelta, p.features, p.flatInput, p.flat, p.featuresW, p.featuresB, p.nativeHidden,
                p.nativeFlat, flatDelta);
        Layouts.transpose(flatDelta, n, p.pooledChannels, p.pooledPixels, pooled2Delta, true);
        p.pool2.backward(pooled2Delta, n, act2Delta);
        p.conv2.backwardThroughActivation(act2Delta, p.act2, 0f, null, n, p.conv2W, p.conv2B, true, pooled1Delta);
        p.pool1.backward(pooled1Delta, n, act1Delta);
        p.conv1.backwardThroughActivation(act1Delta, p.act1, 0f, null, n, p.conv1W, p.conv1B, true, null);
        int iteration = graph.getConfiguration().getIterationCount();
        update.applyFromView(iteration, epoch, n);
        graph.getConfiguration().setIterationCount(iteration + 1);
        return loss / n;
    }

    @Override
    public boolean direct() {
        return true;
    }

    /** The dense layer's gradients from {@code delta} (dLoss/d pre-activation), and {@code inDelta}. */
    private void denseBackward(float[] delta, int outWidth, float[] in, int width, ParameterMemory w, ParameterMemory b,
                               NativeFloats nativeDelta, NativeFloats nativeIn, float[] inDelta) {
        int n = passes.batch;
        b.writeGradient(Layouts.columnSums(delta, n, outWidth, passes.bias));
        nativeDelta.load(delta, n * outWidth);
        nativeIn.load(in, n * width);
        Sgemm.multiply(true, false, outWidth, width, n, 1f, nativeDelta.pointer(), outWidth, nativeIn.pointer(), width,
                0f, w.gradient(), width);
        Sgemm.multiply(false, false, n, width, outWidth, 1f, nativeDelta.pointer(), outWidth, w.values(), width, 0f,
                nativeIn.pointer(), width);
        nativeIn.store(inDelta, n * width);
    }
}
