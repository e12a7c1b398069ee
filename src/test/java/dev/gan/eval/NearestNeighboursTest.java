package dev.gan.eval;

import dev.gan.util.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The tiled distances answer what a plain double loop answers, over sets larger than a tile, and on two threads
 * exactly what they answer on one; the norm bound that spares most multiplies changes no answer.
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
    void kthNeighboursMatchAPlainLoop() {
        float[][] set = points(ROWS, 1);

        double[] third = NearestNeighbours.kthWithin(set, 3);

        for (int i = 0; i < ROWS; i += 97) {
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
    void anyWithinAnswersWhatTheFullDistancesAnswerThoughNormsRuleMostPairsOut() {
        float[][] set = points(ROWS, 1);
        float[][] others = points(OTHERS, 2);
        double[] nearest = new double[ROWS];
        for (int i = 0; i < ROWS; i++) {
            nearest[i] = Double.POSITIVE_INFINITY;
            for (float[] other : others) {
                nearest[i] = Math.min(nearest[i], distance(set[i], other));
            }
        }
        double[] sorted = nearest.clone();
        java.util.Arrays.sort(sorted);

        for (double share : new double[] {0.01, 0.2, 0.5, 0.9}) {
            // Halfway between two rows' nearest distances: no row sits on the boundary, where rounding decides.
            int k = (int) (share * ROWS);
            double radius = (sorted[k] + sorted[k + 1]) / 2;
            boolean[] within = NearestNeighbours.anyWithin(NearestNeighbours.Rows.of(set),
                    NearestNeighbours.Rows.of(others), radius);
            for (int i = 0; i < ROWS; i++) {
                assertThat(within[i]).as("row %d, nearest %.5f, radius %.5f", i, nearest[i], radius)
                        .isEqualTo(nearest[i] <= radius);
            }
        }
    }

    @Test
    void anyWithinFindsCopiesAmongRowsOfEqualNorm() {
        float[][] others = points(OTHERS, 5);
        float[][] set = new float[300][];
        for (int i = 0; i < set.length; i++) {
            set[i] = i % 3 == 0 ? others[i * 7].clone() : new float[] {-others[i][0], others[i][1], others[i][2],
                    others[i][3], others[i][4], others[i][5]}; // a mirror: the same norm, not a copy
        }

        // A radius far under any two distinct rows' distance, above the multiplies' rounding of a copy's (0).
        boolean[] within = NearestNeighbours.anyWithin(NearestNeighbours.Rows.of(set),
                NearestNeighbours.Rows.of(others), 1e-4);

        for (int i = 0; i < set.length; i++) {
            assertThat(within[i]).as("row %d", i).isEqualTo(i % 3 == 0 || others[i][0] == 0);
        }
    }

    @Test
    void twoThreadsAnswerExactlyWhatOneAnswers() {
        float[][] set = points(ROWS, 3);
        float[][] others = points(OTHERS, 4);

        Parallel.use(1);
        double[] radii = NearestNeighbours.kthWithin(others, 3);
        boolean[] within = NearestNeighbours.anyWithin(NearestNeighbours.Rows.of(set),
                NearestNeighbours.Rows.of(others), 1.0);
        double share = NearestNeighbours.shareInside(set, others, radii);
        double[] shortSet = NearestNeighbours.nearestOther(NearestNeighbours.Rows.of(others), 700); // under a tile
        Parallel.use(2);

        assertThat(NearestNeighbours.kthWithin(others, 3)).containsExactly(radii);
        assertThat(NearestNeighbours.anyWithin(NearestNeighbours.Rows.of(set), NearestNeighbours.Rows.of(others), 1.0))
                .containsExactly(within);
        assertThat(NearestNeighbours.shareInside(set, others, radii)).isEqualTo(share).isBetween(0.01, 0.99);
        assertThat(NearestNeighbours.nearestOther(NearestNeighbours.Rows.of(others), 700)).containsExactly(shortSet);
    }
}
