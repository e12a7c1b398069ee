package dev.gan.train;

import dev.gan.util.Sgemm;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * What the direct steps ({@link DirectMlpStep}, {@link DirectDcganStep}) share: the GAN losses on D's logits,
 * the label scale read from a graph, and the check that the graphs' parameters stay where the steps' pointers
 * point.
 */
final class DirectSteps {

    private DirectSteps() {
    }

    /**
     * D's sigmoid cross-entropy on {@code rows} logits against {@code targets} (the first {@code realRows} rows
     * real): {@code errors[i] = sigmoid(z) - t}, dLoss/dlogit ({@code errors} may be {@code logits}). Returns
     * {loss, mean D(real), mean D(fake)}, sums over the rows divided by {@code realRows}, as the graph path.
     */
    static double[] discriminatorLoss(float[] logits, float[] targets, int rows, int realRows, float[] errors) {
        double loss = 0;
        double real = 0;
        double fake = 0;
        for (int i = 0; i < rows; i++) {
            float z = logits[i];
            float p = sigmoid(z);
            loss += softplus(z) - (double) targets[i] * z;
            if (i < realRows) {
                real += p;
            } else {
                fake += p;
            }
            errors[i] = p - targets[i];
        }
        return new double[] {loss / realRows, real / realRows, fake / realRows};
    }

    /**
     * G's loss on D's logits for {@code rows} fake examples, and dLoss/dlogit into {@code errors} (which may be
     * {@code logits}): non-saturating -log D(G(z)) for BCE, log(1 - D(G(z))) for the minimax loss. Returns the mean.
     */
    static double generatorLoss(float[] logits, int rows, LossKind loss, float[] errors) {
        double total = 0;
        for (int i = 0; i < rows; i++) {
            float z = logits[i];
            float p = sigmoid(z);
            if (loss == LossKind.BCE) {
                total += softplus(-z);
                errors[i] = p - 1f;
            } else {
                total -= softplus(z);
                errors[i] = -p;
            }
        }
        return total / rows;
    }

    static float sigmoid(float z) {
        return (float) (1.0 / (1.0 + Math.exp(-z)));
    }

    /** log(1 + e^z) without overflow. */
    static double softplus(double z) {
        return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
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
