package dev.gan.eval;

import dev.gan.nn.NativeFloats;
import dev.gan.util.NativeCopy;
import dev.gan.util.Parallel;
import dev.gan.util.Sgemm;

import java.util.Arrays;

/**
 * Squared Euclidean distances between sets of vectors, tile by tile through one matrix multiply each
 * (|a|^2 + |b|^2 - 2 a.b), and what the quality metrics ask of them: the k-th nearest neighbour within a set,
 * the nearest other within a set, whether another set has a row within a radius, and the share of points inside
 * a set's k-NN balls. A tile is at most {@link #TILE_A} x {@link #TILE_B} distances (8 MB), so memory does not
 * grow with the sets: 1,000 samples against the 60,000 training digits take the same heap as against 1,000.
 */
final class NearestNeighbours {

    /** Rows of the first set per tile. */
    static final int TILE_A = 1000;
    /** The fewest rows of a tile of the first set a thread takes. */
    static final int MIN_PART_ROWS = 64;
    /** Rows of the second set per tile: large enough for BLAS to run at full speed, small enough for the heap. */
    static final int TILE_B = 2048;

    private NearestNeighbours() {
    }

    /** Vectors of one dimension, copied out a block of rows at a time (the set itself may be bytes). */
    interface Rows {
        int count();

        int dim();

        /** Copies rows [first, first + n) into {@code into} from float {@code at} on, row-major. */
        void copy(int first, int n, float[] into, int at);

        /**
         * Each row's squared norm, for ordering rows and bounding distances (a tile computes its own for the
         * distances themselves; the two may differ by float rounding): a block of rows copied out at a time.
         */
        default float[] squaredNorms() {
            float[] norms = new float[count()];
            int block = Math.min(TILE_B, count());
            float[] buffer = new float[block * dim()];
            float[] blockNorms = new float[block];
            for (int first = 0; first < count(); first += block) {
                int n = Math.min(block, count() - first);
                copy(first, n, buffer, 0);
                NearestNeighbours.squaredNorms(buffer, 0, n, dim(), blockNorms);
                System.arraycopy(blockNorms, 0, norms, first, n);
            }
            return norms;
        }

        static Rows of(float[][] rows) {
            return new Rows() {
                public int count() {
                    return rows.length;
                }

                public int dim() {
                    return rows.length == 0 ? 0 : rows[0].length;
                }

                public void copy(int first, int n, float[] into, int at) {
                    for (int i = 0; i < n; i++) {
                        System.arraycopy(rows[first + i], 0, into, at + i * dim(), dim());
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

                public void copy(int first, int n, float[] into, int at) {
                    int offset = first * dim;
                    for (int i = 0; i < n * dim; i++) {
                        into[at + i] = (pixels[offset + i] & 0xFF) / 255f;
                    }
                }

                /** From the bytes in integers: 60,000 digits are not turned into floats once more for this. */
                @Override
                public float[] squaredNorms() {
                    float[] norms = new float[count];
                    for (int i = 0; i < count; i++) {
                        long sum = 0;
                        for (int c = i * dim; c < (i + 1) * dim; c++) {
                            int v = pixels[c] & 0xFF;
                            sum += v * v;
                        }
                        norms[i] = (float) (sum / (255.0 * 255.0));
                    }
                    return norms;
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

                public void copy(int first, int rows, float[] into, int at) {
                    all.copy(first, rows, into, at);
                }
            };
        }

        /** These rows in the given order: row i is row {@code order[i]}. */
        default Rows reordered(int[] order) {
            Rows all = this;
            return new Rows() {
                public int count() {
                    return order.length;
                }

                public int dim() {
                    return all.dim();
                }

                public void copy(int first, int rows, float[] into, int at) {
                    for (int i = 0; i < rows; i++) {
                        all.copy(order[first + i], 1, into, at + i * all.dim());
                    }
                }
            };
        }
    }

    /**
     * For each row of {@code from}: whether some row of {@code to} lies within squared distance
     * {@code squaredRadius} of it. Rows whose norms alone put them farther apart (|a - b| >= ||a| - |b||) are never
     * multiplied: both sets are taken in order of their norms, and each tile of {@code to} meets only the rows of
     * {@code from} whose norms are near its own (for 1,000 generated digits against the 60,000 MNIST training
     * digits at the memorisation threshold, about half of them). The bound is widened by far more than the
     * multiplies' rounding, so the answer is the one the full distances give.
     */
    static boolean[] anyWithin(Rows from, Rows to, double squaredRadius) {
        boolean[] found = new boolean[from.count()];
        if (from.count() == 0 || to.count() == 0) {
            return found;
        }
        float[] normsFrom = from.squaredNorms();
        float[] normsTo = to.squaredNorms();
        int[] orderFrom = ascending(normsFrom);
        int[] orderTo = ascending(normsTo);
        float[] rootsFrom = new float[orderFrom.length];
        for (int i = 0; i < orderFrom.length; i++) {
            rootsFrom[i] = (float) Math.sqrt(normsFrom[orderFrom[i]]);
        }
        float[] rootsTo = new float[orderTo.length];
        for (int i = 0; i < orderTo.length; i++) {
            rootsTo[i] = (float) Math.sqrt(normsTo[orderTo[i]]);
        }
        // |a|^2 + |b|^2 - 2 a.b in floats errs by far less than a ten-thousandth of |a|^2 + |b|^2.
        double reach = Math.sqrt(squaredRadius + 1e-4 * (normsFrom[orderFrom[orderFrom.length - 1]]
                + normsTo[orderTo[orderTo.length - 1]])) + 1e-6;
        forEachTile(from.reordered(orderFrom), to.reordered(orderTo),
                (firstA, nA, firstB, nB) -> {
                    // Rows of this block of from whose norms lie within reach of the tile's norms.
                    int lo = firstAtLeast(rootsFrom, firstA, firstA + nA, rootsTo[firstB] - reach);
                    int hi = firstAtLeast(rootsFrom, lo, firstA + nA, Math.nextUp(rootsTo[firstB + nB - 1] + reach));
                    return new int[] {lo - firstA, hi - firstA};
                },
                (firstA, firstB, nA, nB, d) -> {
                    for (int i = 0; i < nA; i++) {
                        int row = orderFrom[firstA + i];
                        for (int j = 0; j < nB && !found[row]; j++) {
                            found[row] = d[i * nB + j] <= squaredRadius;
                        }
                    }
                });
        return found;
    }

    /** The first index in [from, to) of the ascending {@code values} whose value is at least {@code bound}. */
    private static int firstAtLeast(float[] values, int from, int to, double bound) {
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (values[mid] < bound) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The indices of {@code values} in ascending order of value (ties by index). */
    private static int[] ascending(float[] values) {
        long[] keys = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            // Non-negative floats order as their bits do.
            keys[i] = ((long) Float.floatToIntBits(values[i]) << 32) | i;
        }
        Arrays.sort(keys);
        int[] order = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            order[i] = (int) keys[i];
        }
        return order;
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
     * Every tile of distances, to the consumer, tiles of {@code a}'s rows outside, {@code b}'s inside. With several
     * threads each tile's rows are shared out: each thread copies its rows of the two blocks, then multiplies its
     * rows of {@code a}'s block by {@code b}'s and hands them on. So every row is copied once however many threads
     * there are, a consumer is given only rows of {@code a} of its own, and each row still sees {@code b}'s tiles
     * in order: the results do not depend on the thread count.
     */
    private static void forEachTile(Rows a, Rows b, TileConsumer consumer) {
        forEachTile(a, b, (firstA, nA, firstB, nB) -> null, consumer);
    }

    /** Which rows of a block of {@code a} a tile of {@code b} meets. */
    @FunctionalInterface
    private interface RowRange {
        /**
         * Of a's rows [firstA, firstA + nA) against b's [firstB, firstB + nB): the block rows [from, to) to
         * compute, as {from, to}; null for all of them.
         */
        int[] rows(int firstA, int nA, int firstB, int nB);
    }

    /** As above, each tile of {@code b} meeting only the rows of {@code a}'s block that {@code range} gives. */
    private static void forEachTile(Rows a, Rows b, RowRange range, TileConsumer consumer) {
        if (a.count() == 0 || b.count() == 0) {
            return;
        }
        int rowsA = Math.min(TILE_A, a.count());
        int parts = Math.max(1, Math.min(Parallel.parts(), rowsA / MIN_PART_ROWS));
        try (Tiles tiles = new Tiles(rowsA, Math.min(TILE_B, b.count()), a.dim(), parts)) {
            for (int firstA = 0; firstA < a.count(); firstA += TILE_A) {
                int fromA = firstA;
                int nA = Math.min(TILE_A, a.count() - firstA);
                Parallel.run(parts, part -> tiles.a.load(a, fromA, start(nA, part, parts), start(nA, part + 1, parts)));
                for (int firstB = 0; firstB < b.count(); firstB += TILE_B) {
                    int fromB = firstB;
                    int nB = Math.min(TILE_B, b.count() - firstB);
                    int[] met = range.rows(fromA, nA, fromB, nB);
                    int lo = met == null ? 0 : met[0];
                    int count = met == null ? nA : met[1] - met[0];
                    if (count <= 0) {
                        continue;
                    }
                    int metParts = Math.max(1, Math.min(parts, count / MIN_PART_ROWS));
                    Parallel.run(parts, part -> tiles.b.load(b, fromB, start(nB, part, parts), start(nB, part + 1, parts)));
                    Parallel.run(metParts, part -> {
                        int first = lo + start(count, part, metParts);
                        int rows = lo + start(count, part + 1, metParts) - first;
                        consumer.accept(fromA + first, fromB, rows, nB, tiles.distances(part, first, rows, nB));
                    });
                }
            }
        }
    }

    /** The first of {@code n} rows that part {@code part} of {@code parts} takes. */
    private static int start(int n, int part, int parts) {
        return (int) ((long) n * part / parts);
    }

    /** A block of rows, in Java and in native memory for the multiply, with their squared norms. */
    private static final class Block implements AutoCloseable {
        final int dim;
        final float[] rows;
        final float[] norms;
        final NativeFloats memory;

        Block(int count, int dim) {
            this.dim = dim;
            rows = new float[count * dim];
            norms = new float[count];
            memory = new NativeFloats((long) count * dim);
        }

        /** Rows [from, to) of the block: set rows first + from, ... copied in, their norms, their native copy. */
        void load(Rows set, int first, int from, int to) {
            set.copy(first + from, to - from, rows, from * dim);
            squaredNorms(rows, from, to, dim, norms);
            NativeCopy.toNative(rows, from * dim, address(from), (to - from) * dim);
        }

        long address(int row) {
            return memory.pointer().address() + (long) row * dim * Float.BYTES;
        }

        @Override
        public void close() {
            memory.close();
        }
    }

    /** The two blocks of a tile, the product of the first by the second, and each thread's rows of distances. */
    private static final class Tiles implements AutoCloseable {
        final Block a;
        final Block b;
        final NativeFloats products;
        final float[][] distances;

        Tiles(int rowsA, int rowsB, int dim, int parts) {
            a = new Block(rowsA, dim);
            b = new Block(rowsB, dim);
            products = new NativeFloats((long) rowsA * rowsB);
            // A part's rows: at most its share of a block, or under two parts' worth where a tile meets few rows.
            distances = new float[parts][Math.min(rowsA, Math.max(rowsA / parts + 1, 2 * MIN_PART_ROWS)) * rowsB];
        }

        /** Squared distances of block rows [first, first + rows) of a to the first nB rows of b, row-major. */
        float[] distances(int part, int first, int rows, int nB) {
            int dim = a.dim;
            long out = products.pointer().address() + (long) first * nB * Float.BYTES;
            Sgemm.multiply(false, true, rows, nB, dim, 1f, Sgemm.floats(a.address(first), (long) rows * dim), dim,
                    b.memory.pointer(), dim, 0f, Sgemm.floats(out, (long) rows * nB), nB);
            float[] d = distances[part];
            NativeCopy.fromNative(out, d, 0, rows * nB);
            for (int i = 0; i < rows; i++) {
                float normA = a.norms[first + i];
                for (int j = 0; j < nB; j++) {
                    d[i * nB + j] = Math.max(0f, normA + b.norms[j] - 2f * d[i * nB + j]);
                }
            }
            return d;
        }

        @Override
        public void close() {
            a.close();
            b.close();
            products.close();
        }
    }

    /** The squared norms of rows [from, to) of the row-major {@code block}, into the same places of {@code into}. */
    private static void squaredNorms(float[] block, int from, int to, int dim, float[] into) {
        for (int i = from; i < to; i++) {
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
