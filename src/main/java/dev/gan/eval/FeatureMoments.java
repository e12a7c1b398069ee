package dev.gan.eval;

/**
 * The mean and covariance of a set of feature vectors, gathered a batch at a time: what the Frechet distance
 * needs, in memory that does not grow with the number of vectors. Sums are kept around the first vector seen,
 * which keeps the one-pass covariance as accurate as a two-pass one for features far from zero.
 */
public final class FeatureMoments {

    private double[] shift;
    private double[] sum;
    private double[][] products;
    private double[] centered;
    private long count;

    public void add(float[][] rows) {
        for (float[] row : rows) {
            add(row);
        }
    }

    public void add(float[] row) {
        int d = row.length;
        if (shift == null) {
            shift = new double[d];
            for (int j = 0; j < d; j++) {
                shift[j] = row[j];
            }
            sum = new double[d];
            products = new double[d][d];
            centered = new double[d];
        }
        for (int j = 0; j < d; j++) {
            centered[j] = row[j] - shift[j];
            sum[j] += centered[j];
        }
        for (int i = 0; i < d; i++) {
            double ci = centered[i];
            if (ci == 0) {
                continue;
            }
            double[] line = products[i];
            for (int j = i; j < d; j++) {
                line[j] += ci * centered[j];
            }
        }
        count++;
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
