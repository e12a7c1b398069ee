package dev.gan.eval;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FrechetDistanceTest {

    private static float[][] gaussian(int n, int d, double mean, double sd, long seed) {
        Random random = new Random(seed);
        float[][] x = new float[n][d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) (mean + sd * random.nextGaussian());
            }
        }
        return x;
    }

    @Test
    void aSetIsAtDistanceZeroFromItself() {
        float[][] x = gaussian(500, 8, 0, 1, 1);

        assertThat(FrechetDistance.between(x, x)).isCloseTo(0, within(1e-6));
    }

    @Test
    void matchesTheClosedFormForShiftedAndScaledGaussians() {
        // N(0, I) vs N(m, s^2 I) in d dimensions: d m^2 + d (1 - s)^2.
        int d = 4;
        float[][] a = gaussian(20_000, d, 0, 1, 2);
        float[][] b = gaussian(20_000, d, 0.5, 2, 3);

        assertThat(FrechetDistance.between(a, b)).isCloseTo(d * 0.25 + d * 1.0, within(0.15));
    }

    @Test
    void eigenDecompositionReconstructsASymmetricMatrix() {
        double[][] m = {{4, 1, 0.5}, {1, 3, 0.2}, {0.5, 0.2, 2}};
        double[][] root = SymmetricEigen.sqrt(m);
        double[][] square = FrechetDistance.multiply(root, root);

        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertThat(square[i][j]).isCloseTo(m[i][j], within(1e-9));
            }
        }
    }
}
