package dev.gan.optim;

import dev.gan.util.NativeCopy;
import dev.gan.util.Parallel;
import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.api.TrainingConfig;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.NoOpUpdater;
import org.nd4j.linalg.learning.config.Adam;

import java.util.ArrayList;
import java.util.List;

/**
 * One optimizer step of a graph: the gradient in its gradient view, averaged over the examples, becomes an
 * update that is subtracted from its parameters.
 *
 * <p>Why not just DL4J's updater: measured 1.7-1.9 ms per step of the MLP generator (234,512 parameters),
 * about a third of the GAN's time per iteration once matrix multiplies are fast. DL4J copies the gradient
 * into a fresh flattened array, treats that as an "external" gradient, and libnd4j's {@code adam_updater}
 * then runs a scalar loop (a square root and a division per parameter, about 3.6 ns each). For graphs whose
 * every updater block is plain Adam (no regularization, no gradient normalization, every parameter averaged
 * over the minibatch, as in all models here, plus the no-op blocks of batch norm's running statistics, which
 * DL4J subtracts as they are) this class copies each block's gradient, moments and
 * parameters into Java arrays, runs the same arithmetic in a loop the JIT vectorizes, and copies them back:
 * 0.36-0.47 ms. The arithmetic is libnd4j's operation for operation, including where its build fuses a
 * multiply-add, so the parameters and moments are identical to DL4J's to the bit (tested). Any other graph
 * (regularization, gradient normalization, another updater) goes through DL4J's updater.
 */
public final class ParameterUpdate {

    private final ComputationGraph graph;
    private final List<AdamBlock> adamBlocks;
    private final LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();
    /** Parameters per pass of the Adam loop: the four working copies (256 KB) stay in a core's L2 cache. */
    private static final int CHUNK = 16384;
    /** Each part's working copies of a chunk (see {@link #applyFromView}), made before a split needs them. */
    private Chunk[] parts = new Chunk[0];
    /** Every block's chunks in order: a split gives each part a run of them. */
    private final List<ChunkAt> chunks = new ArrayList<>();

    /** Working copies of a chunk of one block's gradient, moments and parameters. */
    private record Chunk(float[] g, float[] m, float[] v, float[] p) {
        Chunk() {
            this(new float[CHUNK], new float[CHUNK], new float[CHUNK], new float[CHUNK]);
        }
    }

    /** Parameters [start, start + length) of a block. */
    private record ChunkAt(AdamBlock block, int start, int length) {
    }

    /**
     * One updater block: where its parameters, gradients and moments start in the graph's flat arrays. A block
     * without Adam is a no-op updater's (batch norm's running statistics): its "gradient" is the move itself.
     */
    private record AdamBlock(long paramStart, int length, long stateStart, Adam adam) {
    }

    private ParameterUpdate(ComputationGraph graph, List<AdamBlock> adamBlocks) {
        this.graph = graph;
        this.adamBlocks = adamBlocks;
        if (adamBlocks != null) {
            for (AdamBlock block : adamBlocks) {
                for (int start = 0; start < block.length(); start += CHUNK) {
                    chunks.add(new ChunkAt(block, start, Math.min(CHUNK, block.length() - start)));
                }
            }
        }
    }

    public static ParameterUpdate of(ComputationGraph graph) {
        if (graph.getFlattenedGradients() == null) {
            graph.initGradientsView(); // DL4J creates it at the first backprop otherwise
        }
        return new ParameterUpdate(graph, adamBlocks(graph));
    }

    /** True when steps take the direct Adam path rather than DL4J's updater. */
    public boolean direct() {
        return adamBlocks != null;
    }

    /**
     * Applies one step from {@code gradient} as backprop returned it, summed over {@code examples} examples.
     * {@code iteration} counts completed iterations. On the direct path the gradient view keeps the gradient
     * (DL4J's updater leaves the update there); nothing reads it after the step.
     */
    public void apply(Gradient gradient, int iteration, int epoch, int examples) {
        if (adamBlocks == null || !inGradientView(gradient)) {
            INDArray params = graph.params();
            graph.getUpdater().update(gradient, iteration, epoch, examples, workspaces);
            params.subi(gradient.gradient().reshape(params.shape()));
            return;
        }
        applyFromView(iteration, epoch, examples);
    }

    /**
     * The direct Adam step on the gradient already in the graph's gradient view (summed over {@code examples}
     * examples), as the direct engine leaves it. Only for {@link #direct()} updates.
     */
    public void applyFromView(int iteration, int epoch, int examples) {
        if (adamBlocks == null) {
            throw new IllegalStateException("this graph's updater needs DL4J's update path");
        }
        long params = address(graph.params());
        long gradients = address(graph.getFlattenedGradients());
        long state = address(graph.getUpdater().getStateViewArray());
        // Each parameter's step is its own arithmetic, so splitting the chunks over threads changes no bit.
        int split = Math.min(Parallel.parts(), chunks.size());
        if (parts.length < split) {
            Chunk[] grown = java.util.Arrays.copyOf(parts, split);
            for (int i = parts.length; i < split; i++) {
                grown[i] = new Chunk();
            }
            parts = grown;
        }
        Chunk[] memory = parts;
        Parallel.run(split, part -> {
            Chunk own = memory[part];
            for (int c = chunks.size() * part / split; c < chunks.size() * (part + 1) / split; c++) {
                ChunkAt chunk = chunks.get(c);
                AdamBlock block = chunk.block();
                long at = (block.paramStart() + chunk.start()) * Float.BYTES;
                int n = chunk.length();
                NativeCopy.fromNative(gradients + at, own.g(), 0, n);
                NativeCopy.fromNative(params + at, own.p(), 0, n);
                if (block.adam() == null) {
                    subtract(own, n);
                } else {
                    // In chunks, so that the working copies stay in cache: measured 210 us instead of 250-270 us
                    // per generator step (chunks of 1,024 were slower again, 385 us: a copy call per array and chunk).
                    long moments = (block.stateStart() + chunk.start()) * Float.BYTES;
                    long second = moments + (long) block.length() * Float.BYTES;
                    NativeCopy.fromNative(state + moments, own.m(), 0, n);
                    NativeCopy.fromNative(state + second, own.v(), 0, n);
                    adam(block.adam(), iteration, epoch, examples, own, n);
                    NativeCopy.toNative(own.m(), 0, state + moments, n);
                    NativeCopy.toNative(own.v(), 0, state + second, n);
                }
                NativeCopy.toNative(own.p(), 0, params + at, n);
            }
        });
    }

    /** p -= g, as DL4J's updater applies a no-op updater's gradient (not divided by the example count). */
    private static void subtract(Chunk chunk, int n) {
        float[] g = chunk.g();
        float[] p = chunk.p();
        for (int i = 0; i < n; i++) {
            p[i] -= g[i];
        }
    }

    /**
     * DL4J's Adam on the copies in g, m, v and p, then p -= update: libnd4j's adam_updater in float, the same
     * operations in the same order, with fma where its compiler contracted (found by comparing bit for bit).
     */
    private static void adam(Adam adam, int iteration, int epoch, int examples, Chunk chunk, int n) {
        float beta1 = (float) adam.getBeta1();
        float beta2 = (float) adam.getBeta2();
        float epsilon = (float) adam.getEpsilon();
        float beta1T = (float) Math.pow(beta1, iteration + 1);
        float beta2T = (float) Math.pow(beta2, iteration + 1);
        float lr = (float) adam.getLearningRate(iteration, epoch);
        float alphaT = (float) (lr * (float) Math.sqrt((float) (1.0 - beta2T)) / (1.0 - beta1T));
        if (Float.isNaN(alphaT) || Float.isInfinite(alphaT) || alphaT == 0) {
            alphaT = epsilon;
        }
        float count = examples;
        float keep1 = 1 - beta1;
        float keep2 = 1 - beta2;
        float[] g = chunk.g();
        float[] m = chunk.m();
        float[] v = chunk.v();
        float[] p = chunk.p();
        for (int i = 0; i < n; i++) {
            float gi = g[i] / count;
            float mi = Math.fma(beta1, m[i], gi * keep1);
            float vi = Math.fma(beta2, v[i], gi * gi * keep2);
            m[i] = mi;
            v[i] = vi;
            p[i] -= mi * alphaT / ((float) Math.sqrt(vi) + epsilon);
        }
    }

    /** The address of the array's first element (a view's buffer pointer includes the view's offset). */
    private static long address(INDArray array) {
        return array.data().addressPointer().address();
    }

    /**
     * Whether backprop wrote every variable's gradient into the graph's gradient view (DL4J's layers do). The
     * Gradient's own flattened array is then not needed: DL4J builds it as a fresh copy, which its updater
     * treats as an external gradient (a slower path again).
     */
    private boolean inGradientView(Gradient gradient) {
        DataBuffer view = graph.getFlattenedGradients().data();
        for (INDArray variable : gradient.gradientForVariable().values()) {
            if (variable.data() != view && variable.data().originalDataBuffer() != view) {
                return false;
            }
        }
        return true;
    }

    /** The graph's updater blocks as direct Adam blocks, or null when any of them needs DL4J's updater. */
    private static List<AdamBlock> adamBlocks(ComputationGraph graph) {
        ComputationGraphUpdater updater = graph.getUpdater();
        if (updater == null || !plainLayers(graph) || !flatFloats(graph.params())
                || !flatFloats(graph.getFlattenedGradients()) || !flatFloats(updater.getStateViewArray())) {
            return null;
        }
        List<AdamBlock> blocks = new ArrayList<>();
        for (UpdaterBlock block : updater.getUpdaterBlocks()) {
            int length = block.getParamOffsetEnd() - block.getParamOffsetStart();
            if (block.getGradientUpdater() instanceof NoOpUpdater && dividedByMinibatch(block, false)) {
                blocks.add(new AdamBlock(block.getParamOffsetStart(), length, 0, null));
                continue;
            }
            if (!(block.getGradientUpdater() instanceof AdamUpdater adamUpdater) || !dividedByMinibatch(block, true)
                    || block.getUpdaterViewOffsetEnd() - block.getUpdaterViewOffsetStart() != 2 * length) {
                return null;
            }
            // AdamUpdater's state for a block: the first half is m, the second v.
            blocks.add(new AdamBlock(block.getParamOffsetStart(), length, block.getUpdaterViewOffsetStart(),
                    adamUpdater.getConfig()));
        }
        return List.copyOf(blocks);
    }

    /** Whether every parameter of the block is (or, with {@code expected} false, none is) divided by the batch. */
    private static boolean dividedByMinibatch(UpdaterBlock block, boolean expected) {
        for (var variable : block.getLayersAndVariablesInBlock()) {
            if (variable.getLayer().updaterDivideByMinibatch(variable.getParamName()) != expected) {
                return false;
            }
        }
        return true;
    }

    /** A contiguous float vector, so offsets into it are offsets from its address. */
    private static boolean flatFloats(INDArray array) {
        return array != null && array.dataType() == DataType.FLOAT && array.offset() == 0 && array.isVector()
                && array.elementWiseStride() == 1;
    }

    /** No layer has regularization or gradient normalization (which blocks divide is checked per block). */
    private static boolean plainLayers(ComputationGraph graph) {
        for (GraphVertex vertex : graph.getVertices()) {
            if (!vertex.hasLayer() || vertex.getLayer().numParams() == 0) {
                continue;
            }
            Trainable layer = vertex.getLayer();
            TrainingConfig config = layer.getConfig();
            if (config.getGradientNormalization() != null && config.getGradientNormalization() != GradientNormalization.None) {
                return false;
            }
            for (String param : layer.paramTable(false).keySet()) {
                var regularization = config.getRegularizationByParam(param);
                if (regularization != null && !regularization.isEmpty()) {
                    return false;
                }
            }
        }
        return true;
    }
}
