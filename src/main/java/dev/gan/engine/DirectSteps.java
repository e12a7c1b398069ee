package dev.gan.engine;

import dev.gan.util.Sgemm;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * What the direct steps ({@link DirectMlpStep}, {@link DirectDcganStep}) share besides their loss: the label scale
 * read from a graph, and the check that the graphs' parameters stay where the steps' pointers point.
 */
final class DirectSteps {

    private DirectSteps() {
    }

    /** The factor a graph's one-hot label input is multiplied by (its ScaleVertex), 1 without one. */
    static float labelScale(ComputationGraph graph) {
        var vertex = graph.getConfiguration().getVertices().values().stream()
                .filter(ScaleVertex.class::isInstance).map(ScaleVertex.class::cast).findFirst();
        return vertex.map(v -> (float) v.getScaleFactor()).orElse(1f);
    }

    /** {@code base} moved on by {@code elements} floats. */
    static FloatPointer at(FloatPointer base, long elements) {
        return Sgemm.floats(base.address() + elements * Float.BYTES, base.limit() - elements);
    }

    /**
     * Where two graphs' flat parameter arrays were at the first step. The steps hold pointers into them;
     * DL4J never moves them during training, which each step checks cheaply.
     */
    static final class Anchor {
        private final ComputationGraph generator;
        private final ComputationGraph discriminator;
        private long generatorParams;
        private long discriminatorParams;

        Anchor(ComputationGraph generator, ComputationGraph discriminator) {
            this.generator = generator;
            this.discriminator = discriminator;
        }

        void checkUnmoved() {
            long g = Sgemm.address(generator.params());
            long d = Sgemm.address(discriminator.params());
            if (generatorParams == 0) {
                generatorParams = g;
                discriminatorParams = d;
            } else if (g != generatorParams || d != discriminatorParams) {
                throw new IllegalStateException("a network's parameters moved in memory during training");
            }
        }
    }
}
