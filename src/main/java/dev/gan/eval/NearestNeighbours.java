package dev.gan.eval;

import dev.gan.nn.NativeFloats;
import dev.gan.util.Parallel;
import dev.gan.util.Sgemm;

import java.util.Arrays;

/**
 * Squared Euclidean distances between sets of vectors, tile by tile through one matrix multiply each
 * (|a|^2 + |b|^2 - 2 a.b), and what the quality metrics ask of them: the k-th nearest neighbour within a set,
 * the nearest neighbour in another set, and the share of points inside a set's k-NN balls. A tile is at most
 * {@link #TILE_A} x {@link #TILE_B} distances (8 MB, one per thread), so memory does not grow with the sets: 1,000 samples against
 * the 60,000 training digits take the same heap as against 1,000.
 */
final class NearestNeighbours {

    /** Rows of the first set per tile. */
    static final int TILE_A = 1000;
    /** The fewest rows of the first set a tile is cut down to, to give each thread a tile. */
    static final int MIN_TILE_A = 64;
    /** Rows of the second set per tile: large enough for BLAS to run at full speed, small enough for the heap. */
    static final int TILE_B = 2048;

    private NearestNeighbours() {
    }

    /** Vectors of one dimension, copied out a block of rows at a time (the set itself may be bytes). */
    interface Rows {
        int count();

        int dim();

        /** Copies rows [first, first + n) into {@code into}, row-major. */
        void copy(int first, int n, float[] into);

        static Rows of(float[][] rows) {
            return new Rows() {
                public int count() {
                    return rows.length;
                }

                public int dim() {
                    return rows.length == 0 ? 0 : rows[0].length;
                }

                public void copy(int first, int n, float[] into) {
                    for (int i = 0; i < n; i++) {
                        System.arraycopy(rows[first + i], 0, into, i * dim(), dim());
                    }
                }
            };
        }

        /** Image bytes (0..255) as pixels in [0, 1], the scale of generated images. */
        static Rows ofPixels(byte[] pixels, int count, int dim) {
            return new Rows() {
                public int count() {
                    return count;
                }

                public int dim() {
                    return dim;
                }

                public void copy(int first, int n, float[] into) {
                    int offset = first * dim;
                    for (int i = 0; i < n * dim; i++) {
                        into[i] = (pixels[offset + i] & 0xFF) / 255f;
                    }
                }
            };
        }

        /** The first {@code n} rows. */
        default Rows head(int n) {
            Rows all = this;
            return new Rows() {
                public int count() {
                    return Math.min(n, all.count());
                }

                public int dim() {
                    return all.dim();
                }

                public void copy(int first, int rows, float[] into) {
                    all.copy(first, rows, into);
                }
            };
        }
    }

    /** Squared distance from each row of {@code set} to its {@code k}-th nearest other row of the same set. */
    static double[] kthWithin(float[][] set, int k) {
        double[][] smallest = new double[set.length][k];
        for (double[] row : smallest) {
            Arrays.fill(row, Double.POSITIVE_INFINITY);
        }
        Rows rows = Rows.of(set);
        forEachTile(rows, rows, (firstA, firstB, nA, nB, d) -> {
            for (int i = 0; i < nA; i++) {
                for (int j = 0; j < nB; j++) {
                    if (firstA + i != firstB + j) { // not its own neighbour
                        keepSmallest(smallest[firstA + i], d[i * nB + j]);
                    }
                }
            }
        });
        double[] radii = new double[set.length];
        for (int i = 0; i < set.length; i++) {
            radii[i] = smallest[i][k - 1];
        }
        return radii;
    }

    /** Squared distance from each of the first {@code rows} rows of {@code set} to its nearest other row of the set. */
    static double[] nearestOther(Rows set, int rows) {
        double[] nearest = new double[rows];
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        forEachTile(set.head(rows), set, (firstA, firstB, nA, nB, d) -> {
            for (int i = 0; i < nA; i++) {
                for (int j = 0; j < nB; j++) {
                    if (firstA + i != firstB + j && d[i * nB + j] < nearest[firstA + i]) {
                        nearest[firstA + i] = d[i * nB + j];
                    }
                }
            }
        });
        return nearest;
    }

    /** Squared distance from each row of {@code from} to its nearest row of {@code to}. */
    static double[] nearest(Rows from, Rows to) {
        double[] nearest = new double[from.count()];
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        forEachTile(from, to, (firstA, firstB, nA, nB, d) -> {
            for (int i = 0; i < nA; i++) {
                for (int j = 0; j < nB; j++) {
                    if (d[i * nB + j] < nearest[firstA + i]) {
                        nearest[firstA + i] = d[i * nB + j];
                    }
                }
            }
        });
        return nearest;
    }

    /**
     * The share of {@code points} that lie within the k-NN ball of some row of {@code manifold} (radius: that
     * row's squared distance to its k-th neighbour, {@code radii}).
     */
    static double shareInside(float[][] points, float[][] manifold, double[] radii) {
        boolean[] inside = new boolean[points.length];
        forEachTile(Rows.of(points), Rows.of(manifold), (firstA, firstB, nA, nB, d) -> {
            for (int i = 0; i < nA; i++) {
                for (int j = 0; j < nB && !inside[firstA + i]; j++) {
                    inside[firstA + i] = d[i * nB + j] <= radii[firstB + j];
                }
            }
        });
        int count = 0;
        for (boolean in : inside) {
            count += in ? 1 : 0;
        }
        return points.length == 0 ? 0 : count / (double) points.length;
    }

    @FunctionalInterface
    private interface TileConsumer {
        /** Squared distances of rows [firstA, firstA + nA) to rows [firstB, firstB + nB), row-major nA x nB. */
        void accept(int firstA, int firstB, int nA, int nB, float[] squaredDistances);
    }

    /**
     * Every tile of distances, to the consumer. The tiles of {@code a}'s rows are split over gan's threads, each
     * thread with its own blocks and multiplying on its own: a consumer writes only the rows of {@code a} it is
     * given, and each row sees {@code b}'s tiles in order, so the results do not depend on the thread count.
     */
    private static void forEachTile(Rows a, Rows b, TileConsumer consumer) {
        if (a.count() == 0 || b.count() == 0) {
            return;
        }
        // Smaller tiles of a when it is short, so that every thread has one (1,000 samples against 60,000 digits).
        int threads = Parallel.threads();
        int tileA = Math.min(TILE_A, Math.max(MIN_TILE_A, (a.count() + threads - 1) / threads));
        int tilesA = (a.count() + tileA - 1) / tileA;
        int parts = Math.min(threads, tilesA);
        Tiles[] memory = new Tiles[parts];
        try {
            for (int i = 0; i < parts; i++) {
                memory[i] = new Tiles(Math.min(tileA, a.count()), Math.min(TILE_B, b.count()), a.dim());
            }
            Parallel.run(parts, part -> consumeTiles(memory[part], a, b, tileA,
                    tilesA * part / parts, tilesA * (part + 1) / parts, consumer));
        } finally {
            for (Tiles tiles : memory) {
                if (tiles != null) {
                    tiles.close();
                }
            }
        }
    }

    /** Tiles [firstTile, lastTile) of {@code a}'s rows against all of {@code b}, in {@code own} memory. */
    private static void consumeTiles(Tiles own, Rows a, Rows b, int tileA, int firstTile, int lastTile,
                                     TileConsumer consumer) {
        for (int tile = firstTile; tile < lastTile; tile++) {
            int firstA = tile * tileA;
            int nA = Math.min(tileA, a.count() - firstA);
            a.copy(firstA, nA, own.a);
            squaredNorms(own.a, nA, own.dim, own.aNorms);
            own.nativeA.load(own.a, nA * own.dim);
            for (int firstB = 0; firstB < b.count(); firstB += TILE_B) {
                int nB = Math.min(TILE_B, b.count() - firstB);
                b.copy(firstB, nB, own.b);
                squaredNorms(own.b, nB, own.dim, own.bNorms);
                own.nativeB.load(own.b, nB * own.dim);
                Sgemm.multiply(false, true, nA, nB, own.dim, 1f, own.nativeA.pointer(), own.dim,
                        own.nativeB.pointer(), own.dim, 0f, own.products.pointer(), nB);
                float[] d = own.products.store(own.distances, nA * nB);
                for (int i = 0; i < nA; i++) {
                    for (int j = 0; j < nB; j++) {
                        d[i * nB + j] = Math.max(0f, own.aNorms[i] + own.bNorms[j] - 2f * d[i * nB + j]);
                    }
                }
                consumer.accept(firstA, firstB, nA, nB, d);
            }
        }
    }

    /** One thread's blocks of rows, their norms and products, in Java and native memory (freed by close). */
    private static final class Tiles implements AutoCloseable {
        final int dim;
        final float[] a;
        final float[] b;
        final float[] aNorms;
        final float[] bNorms;
        final float[] distances;
        final NativeFloats nativeA;
        final NativeFloats nativeB;
        final NativeFloats products;

        Tiles(int rowsA, int rowsB, int dim) {
            this.dim = dim;
            a = new float[rowsA * dim];
            b = new float[rowsB * dim];
            aNorms = new float[rowsA];
            bNorms = new float[rowsB];
            distances = new float[rowsA * rowsB];
            nativeA = new NativeFloats((long) rowsA * dim);
            nativeB = new NativeFloats((long) rowsB * dim);
            products = new NativeFloats((long) rowsA * rowsB);
        }

        @Override
        public void close() {
            nativeA.close();
            nativeB.close();
            products.close();
        }
    }

    private static void squaredNorms(float[] block, int rows, int dim, float[] into) {
        for (int i = 0; i < rows; i++) {
            float sum = 0;
            for (int c = i * dim; c < (i + 1) * dim; c++) {
                sum += block[c] * block[c];
            }
            into[i] = sum;
        }
    }

    /** Inserts {@code v} into the ascending array {@code smallest} if it is among its values' company. */
    private static void keepSmallest(double[] smallest, double v) {
        int k = smallest.length;
        if (v < smallest[k - 1]) {
            int at = k - 1;
            while (at > 0 && smallest[at - 1] > v) {
                smallest[at] = smallest[at - 1];
                at--;
            }
            smallest[at] = v;
        }
    }

    /** The k-th smallest value (1-based), by keeping the k smallest seen. */
    static double kthSmallest(double[] values, int k) {
        double[] smallest = new double[k];
        Arrays.fill(smallest, Double.POSITIVE_INFINITY);
        for (double v : values) {
            keepSmallest(smallest, v);
        }
        return smallest[k - 1];
    }
}
