package dev.gan.eval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Squared Euclidean distances between sets of vectors, a block of rows at a time through one matrix multiply
 * (|a|^2 + |b|^2 - 2 a.b), and what the quality metrics ask of them: the k-th nearest neighbour within a set,
 * and the nearest neighbour in another set.
 */
final class NearestNeighbours {

    /** Rows of the first set per multiply: 1,000 x 10,000 distances are 40 MB. */
    private static final int BLOCK = 1000;

    private NearestNeighbours() {
    }

    /** Squared distance from each row of {@code set} to its {@code k}-th nearest other row of the same set. */
    static double[] kthWithin(float[][] set, int k) {
        double[] radii = new double[set.length];
        forEachBlock(set, set, (first, distances) -> {
            for (int i = 0; i < distances.length; i++) {
                distances[i][first + i] = Double.POSITIVE_INFINITY; // not its own neighbour
                radii[first + i] = kthSmallest(distances[i], k);
            }
        });
        return radii;
    }

    /** Squared distance from each of the first {@code rows} rows of {@code set} to its nearest other row of the set. */
    static double[] nearestOther(float[][] set, int rows) {
        double[] nearest = new double[rows];
        forEachBlock(Arrays.copyOf(set, rows), set, (first, distances) -> {
            for (int i = 0; i < distances.length; i++) {
                distances[i][first + i] = Double.POSITIVE_INFINITY;
                nearest[first + i] = Arrays.stream(distances[i]).min().orElse(Double.POSITIVE_INFINITY);
            }
        });
        return nearest;
    }

    /** Squared distance from each row of {@code from} to its nearest row of {@code to}. */
    static double[] nearest(float[][] from, float[][] to) {
        double[] nearest = new double[from.length];
        forEachBlock(from, to, (first, distances) -> {
            for (int i = 0; i < distances.length; i++) {
                nearest[first + i] = Arrays.stream(distances[i]).min().orElse(Double.POSITIVE_INFINITY);
            }
        });
        return nearest;
    }

    /**
     * The share of {@code points} that lie within the k-NN ball of some row of {@code manifold} (radius: that
     * row's squared distance to its k-th neighbour, {@code radii}).
     */
    static double shareInside(float[][] points, float[][] manifold, double[] radii) {
        int[] inside = {0};
        forEachBlock(points, manifold, (first, distances) -> {
            for (double[] row : distances) {
                for (int j = 0; j < row.length; j++) {
                    if (row[j] <= radii[j]) {
                        inside[0]++;
                        break;
                    }
                }
            }
        });
        return points.length == 0 ? 0 : inside[0] / (double) points.length;
    }

    @FunctionalInterface
    private interface BlockConsumer {
        void accept(int firstRow, double[][] squaredDistances);
    }

    private static void forEachBlock(float[][] a, float[][] b, BlockConsumer consumer) {
        INDArray bs = Nd4j.create(b).castTo(DataType.FLOAT);
        INDArray bNorms = bs.mul(bs).sum(1);
        for (int first = 0; first < a.length; first += BLOCK) {
            int n = Math.min(BLOCK, a.length - first);
            INDArray as = Nd4j.create(Arrays.copyOfRange(a, first, first + n)).castTo(DataType.FLOAT);
            INDArray products = as.mmul(bs.transpose());
            float[][] dots = products.toFloatMatrix();
            float[] aNorms = as.mul(as).sum(1).toFloatVector();
            float[] bn = bNorms.toFloatVector();
            double[][] distances = new double[n][b.length];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < b.length; j++) {
                    distances[i][j] = Math.max(0, (double) aNorms[i] + bn[j] - 2.0 * dots[i][j]);
                }
            }
            consumer.accept(first, distances);
        }
    }

    /** The k-th smallest value (1-based), by keeping the k smallest seen. */
    static double kthSmallest(double[] values, int k) {
        double[] smallest = new double[k];
        Arrays.fill(smallest, Double.POSITIVE_INFINITY);
        for (double v : values) {
            if (v < smallest[k - 1]) {
                int at = k - 1;
                while (at > 0 && smallest[at - 1] > v) {
                    smallest[at] = smallest[at - 1];
                    at--;
                }
                smallest[at] = v;
            }
        }
        return smallest[k - 1];
    }
}
