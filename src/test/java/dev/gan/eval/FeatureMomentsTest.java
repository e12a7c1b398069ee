package dev.gan.eval;

import dev.gan.util.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The moments the Frechet distance needs: a two-pass mean and covariance, the same bits however they are added. */
class FeatureMomentsTest {

    private static final int D = 120;

    @AfterEach
    void oneThreadAgain() {
        Parallel.use(1);
    }

    /** Features as a classifier's ReLU layer gives them: non-negative, about half zero, far from the origin. */
    private static float[][] features(int n, long seed) {
        Random random = new Random(seed);
        float[][] rows = new float[n][D];
        for (float[] row : rows) {
            for (int j = 0; j < D; j++) {
                row[j] = Math.max(0f, (float) random.nextGaussian() + (j % 3 == 0 ? 5f : 0f));
            }
        }
        return rows;
    }

    @Test
    void meanAndCovarianceAreTheTwoPassOnes() {
        float[][] rows = features(500, 1);

        FeatureMoments moments = FeatureMoments.of(rows);

        double[] mean = new double[D];
        for (float[] row : rows) {
            for (int j = 0; j < D; j++) {
                mean[j] += row[j] / (double) rows.length;
            }
        }
        double[][] covariance = moments.covariance();
        for (int i = 0; i < D; i += 7) {
            assertThat(moments.mean()[i]).isCloseTo(mean[i], within(1e-9));
            for (int j = 0; j < D; j += 5) {
                double c = 0;
                for (float[] row : rows) {
                    c += (row[i] - mean[i]) * (row[j] - mean[j]);
                }
                assertThat(covariance[i][j]).as("cov[%d][%d]", i, j).isCloseTo(c / (rows.length - 1), within(1e-9));
            }
        }
    }

    @Test
    void batchesOnTwoThreadsGiveTheBitsOfOneVectorAtATimeOnOne() {
        float[][] first = features(1100, 2); // more than a chunk
        float[][] second = features(300, 3);
        FeatureMoments single = new FeatureMoments();
        for (float[] row : first) {
            single.add(row);
        }
        for (float[] row : second) {
            single.add(row);
        }

        Parallel.use(2);
        FeatureMoments batched = new FeatureMoments();
        batched.add(first);
        batched.add(second, 250);
        batched.add(new float[][] {second[250], second[251]}, 2);
        batched.add(java.util.Arrays.copyOfRange(second, 252, 300));

        assertThat(batched.count()).isEqualTo(1400);
        assertThat(batched.mean()).containsExactly(single.mean());
        double[][] expected = single.covariance();
        double[][] actual = batched.covariance();
        for (int i = 0; i < D; i++) {
            assertThat(actual[i]).as("row %d", i).containsExactly(expected[i]);
        }
    }
}
