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
        return between(FeatureMoments.of(a), FeatureMoments.of(b));
    }

    public static double between(FeatureMoments a, FeatureMoments b) {
        int d = a.mean().length;
        double[] muA = a.mean();
        double[] muB = b.mean();
        double[][] covA = a.covariance();
        double[][] covB = b.covariance();
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
