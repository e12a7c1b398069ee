package dev.gan.eval;

/**
 * The Frechet distance between two Gaussians fitted to feature sets (the FID formula):
 * |mu1 - mu2|^2 + tr(C1 + C2 - 2 sqrt(C1 C2)), with tr sqrt(C1 C2) computed as the sum of square roots of the
 * eigenvalues of sqrt(C1) C2 sqrt(C1), which is symmetric: only symmetric eigendecompositions are needed.
 */
public final class FrechetDistance {

    private FrechetDistance() {
    }

    public static double between(float[][] a, float[][] b) {
        int d = a[0].length;
        double[] muA = mean(a);
        double[] muB = mean(b);
        double[][] covA = covariance(a, muA);
        double[][] covB = covariance(b, muB);
        double meanTerm = 0;
        for (int i = 0; i < d; i++) {
            meanTerm += (muA[i] - muB[i]) * (muA[i] - muB[i]);
        }
        double[][] sqrtA = SymmetricEigen.sqrt(covA);
        double[][] inner = multiply(multiply(sqrtA, covB), sqrtA);
        symmetrize(inner);
        double traceSqrt = 0;
        for (double eigenvalue : SymmetricEigen.decompose(inner).values()) {
            traceSqrt += Math.sqrt(Math.max(0, eigenvalue));
        }
        double trace = 0;
        for (int i = 0; i < d; i++) {
            trace += covA[i][i] + covB[i][i];
        }
        return Math.max(0, meanTerm + trace - 2 * traceSqrt);
    }

    static double[] mean(float[][] x) {
        double[] mu = new double[x[0].length];
        for (float[] row : x) {
            for (int j = 0; j < mu.length; j++) {
                mu[j] += row[j];
            }
        }
        for (int j = 0; j < mu.length; j++) {
            mu[j] /= x.length;
        }
        return mu;
    }

    static double[][] covariance(float[][] x, double[] mu) {
        int d = mu.length;
        double[][] c = new double[d][d];
        double[] centered = new double[d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                centered[j] = row[j] - mu[j];
            }
            for (int i = 0; i < d; i++) {
                double ci = centered[i];
                if (ci == 0) {
                    continue;
                }
                for (int j = i; j < d; j++) {
                    c[i][j] += ci * centered[j];
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                c[i][j] /= Math.max(1, x.length - 1);
                c[j][i] = c[i][j];
            }
        }
        return c;
    }

    static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double aik = a[i][k];
                if (aik == 0) {
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    c[i][j] += aik * b[k][j];
                }
            }
        }
        return c;
    }

    private static void symmetrize(double[][] m) {
        for (int i = 0; i < m.length; i++) {
            for (int j = i + 1; j < m.length; j++) {
                double v = (m[i][j] + m[j][i]) / 2;
                m[i][j] = v;
                m[j][i] = v;
            }
        }
    }
}
