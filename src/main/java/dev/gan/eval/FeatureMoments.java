package dev.gan.eval;

import dev.gan.util.Parallel;

/**
 * The mean and covariance of a set of feature vectors, gathered a batch at a time: what the Frechet distance
 * needs, in memory that does not grow with the number of vectors. Sums are kept around the first vector seen,
 * which keeps the one-pass covariance as accurate as a two-pass one for features far from zero.
 */
public final class FeatureMoments {

    /** Below this many multiply-adds a batch is added on one thread. */
    private static final long MIN_SPLIT_WORK = 1L << 22;
    /** Vectors centred at a time (at most 4 MB for 500 features). */
    private static final int CHUNK = 1024;
    /** Vectors per block of {@link #addProducts}: 32 of 500 doubles, 128 KB. */
    private static final int BLOCK_VECTORS = 32;

    private double[] shift;
    private double[] sum;
    private double[][] products;
    /** The vectors of one chunk less the shift, made once. */
    private double[][] centered;
    private long count;

    public void add(float[][] rows) {
        add(rows, rows.length);
    }

    /**
     * Adds the first {@code n} rows. The products' rows are split over gan's threads, balanced by their length
     * (row i of the upper triangle has d - i entries); each entry still sums the vectors in their order, so the
     * moments are the same bits on any thread count and as {@link #add(float[])} one vector at a time.
     */
    public void add(float[][] rows, int n) {
        if (n == 0) {
            return;
        }
        if (shift == null) {
            start(rows[0]);
        }
        int d = shift.length;
        for (int first = 0; first < n; first += CHUNK) {
            int m = Math.min(CHUNK, n - first);
            double[][] c = centered;
            for (int r = 0; r < m; r++) {
                float[] row = rows[first + r];
                if (c[r] == null) {
                    c[r] = new double[d];
                }
                for (int j = 0; j < d; j++) {
                    c[r][j] = row[j] - shift[j];
                    sum[j] += c[r][j];
                }
            }
            int parts = (long) m * d * d < MIN_SPLIT_WORK ? 1 : Parallel.parts();
            Parallel.run(parts, part -> addProducts(c, m, triangleRow(d, part, parts), triangleRow(d, part + 1, parts)));
            count += m;
        }
    }

    public void add(float[] row) {
        add(new float[][] {row}, 1);
    }

    private void start(float[] first) {
        int d = first.length;
        shift = new double[d];
        for (int j = 0; j < d; j++) {
            shift[j] = first[j];
        }
        sum = new double[d];
        products = new double[d][d];
        centered = new double[CHUNK][]; // rows made as a chunk first needs them
    }

    /**
     * Rows [first, last) of the products' upper triangle += each centred vector's outer product, in order: a block
     * of vectors at a time, which stays in cache while every row of the triangle takes its share of them.
     */
    private void addProducts(double[][] c, int n, int first, int last) {
        int d = shift.length;
        for (int block = 0; block < n; block += BLOCK_VECTORS) {
            int end = Math.min(n, block + BLOCK_VECTORS);
            for (int i = first; i < last; i++) {
                double[] line = products[i];
                for (int r = block; r < end; r++) {
                    double[] row = c[r];
                    double ci = row[i];
                    if (ci == 0) {
                        continue;
                    }
                    for (int j = i; j < d; j++) {
                        line[j] += ci * row[j];
                    }
                }
            }
        }
    }

    /** The first triangle row of part {@code part} of {@code parts}, so that each part has about as many entries. */
    private static int triangleRow(int d, int part, int parts) {
        if (part >= parts) {
            return d;
        }
        // Rows [0, i) hold d i - i^2 / 2 entries; solve for a share part / parts of d^2 / 2.
        double share = (double) part / parts;
        return (int) Math.round(d * (1 - Math.sqrt(1 - share)));
    }

    public long count() {
        return count;
    }

    public static FeatureMoments of(float[][] rows) {
        FeatureMoments moments = new FeatureMoments();
        moments.add(rows);
        return moments;
    }

    double[] mean() {
        double[] mu = new double[sum.length];
        for (int j = 0; j < mu.length; j++) {
            mu[j] = shift[j] + sum[j] / count;
        }
        return mu;
    }

    /** The sample covariance (divided by n - 1). */
    double[][] covariance() {
        int d = sum.length;
        double[][] c = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                c[i][j] = (products[i][j] - sum[i] * sum[j] / count) / Math.max(1, count - 1);
                c[j][i] = c[i][j];
            }
        }
        return c;
    }
}
