package dev.gan.eval;

import dev.gan.util.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The tiled distances answer what a plain double loop answers, over sets larger than a tile, and on two threads
 * exactly what they answer on one.
 */
class NearestNeighboursTest {

    private static final int ROWS = NearestNeighbours.TILE_A * 2 + 300;
    private static final int OTHERS = NearestNeighbours.TILE_B + 500;

    @AfterEach
    void oneThreadAgain() {
        Parallel.use(1);
    }

    private static float[][] points(int n, long seed) {
        Random random = new Random(seed);
        float[][] set = new float[n][6];
        for (float[] row : set) {
            for (int c = 0; c < row.length; c++) {
                row[c] = (float) random.nextGaussian();
            }
        }
        return set;
    }

    private static double distance(float[] a, float[] b) {
        double sum = 0;
        for (int c = 0; c < a.length; c++) {
            double d = (double) a[c] - b[c];
            sum += d * d;
        }
        return sum;
    }

    @Test
    void nearestAndKthNeighboursMatchAPlainLoop() {
        float[][] set = points(ROWS, 1);
        float[][] others = points(OTHERS, 2);

        double[] nearest = NearestNeighbours.nearest(NearestNeighbours.Rows.of(set), NearestNeighbours.Rows.of(others));
        double[] third = NearestNeighbours.kthWithin(set, 3);

        for (int i = 0; i < ROWS; i += 97) {
            double best = Double.POSITIVE_INFINITY;
            for (float[] other : others) {
                best = Math.min(best, distance(set[i], other));
            }
            assertThat(nearest[i]).as("nearest of %d", i).isCloseTo(best, within(1e-4 * (1 + best)));
            double[] within = new double[ROWS - 1];
            for (int j = 0, k = 0; j < ROWS; j++) {
                if (j != i) {
                    within[k++] = distance(set[i], set[j]);
                }
            }
            java.util.Arrays.sort(within);
            assertThat(third[i]).as("third neighbour of %d", i).isCloseTo(within[2], within(1e-4 * (1 + within[2])));
        }
    }

    @Test
    void twoThreadsAnswerExactlyWhatOneAnswers() {
        float[][] set = points(ROWS, 3);
        float[][] others = points(OTHERS, 4);

        Parallel.use(1);
        double[] radii = NearestNeighbours.kthWithin(others, 3);
        double[] nearest = NearestNeighbours.nearest(NearestNeighbours.Rows.of(set), NearestNeighbours.Rows.of(others));
        double share = NearestNeighbours.shareInside(set, others, radii);
        double[] shortSet = NearestNeighbours.nearestOther(NearestNeighbours.Rows.of(others), 700); // under a tile
        Parallel.use(2);

        assertThat(NearestNeighbours.kthWithin(others, 3)).containsExactly(radii);
        assertThat(NearestNeighbours.nearest(NearestNeighbours.Rows.of(set), NearestNeighbours.Rows.of(others)))
                .containsExactly(nearest);
        assertThat(NearestNeighbours.shareInside(set, others, radii)).isEqualTo(share).isBetween(0.01, 0.99);
        assertThat(NearestNeighbours.nearestOther(NearestNeighbours.Rows.of(others), 700)).containsExactly(shortSet);
    }
}
