package dev.gan.nn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Spectral normalization: W divided by its largest singular value, and the gradient through that division. */
class SpectralNormTest {

    private final KernelFixtures fixtures = new KernelFixtures(11);

    /** The singular values of a row-major rows x cols matrix, largest first, by LAPACK's full SVD. */
    private static float[] singularValues(float[] values, int rows, int cols) {
        INDArray a = Nd4j.create(values, new long[] {rows, cols}, 'c').castTo(DataType.DOUBLE).dup('f');
        INDArray s = Nd4j.create(DataType.DOUBLE, Math.min(rows, cols));
        Nd4j.getBlasWrapper().lapack().gesvd(a, s, null, null);
        return s.castTo(DataType.FLOAT).toFloatVector();
    }

    private static float[] values(ParameterMemory p) {
        return p.read(new float[p.length()]);
    }

    @Test
    void powerIterationsFindTheLargestSingularValueOfAFullSvd() {
        int rows = 32, cols = 48;
        float[] w = fixtures.randoms(rows * cols);
        SpectralNorm norm = new SpectralNorm(fixtures.parameter(w), rows, cols, new SplittableRandom(3));
        float[] expected = singularValues(w, rows, cols);

        for (int i = 0; i < 200; i++) {
            norm.normalize(true);
        }

        assertThat(norm.sigma()).isCloseTo(expected[0], within(1e-3 * expected[0]));
        // What the layer computes with has spectral norm 1; the other singular values shrink by the same factor.
        float[] normalized = singularValues(values(norm.normalized()), rows, cols);
        assertThat((double) normalized[0]).isCloseTo(1, within(1e-3));
        assertThat((double) normalized[1]).isCloseTo(expected[1] / expected[0], within(1e-3));
    }

    @Test
    void oneIterationPerPassFollowsWeightsThatMoveSlowly() {
        int rows = 16, cols = 40;
        float[] w = fixtures.randoms(rows * cols);
        ParameterMemory raw = fixtures.parameter(w);
        SpectralNorm norm = new SpectralNorm(raw, rows, cols, new SplittableRandom(4));
        float[] step = fixtures.randoms(w.length);
        for (int pass = 0; pass < 300; pass++) {
            for (int i = 0; i < w.length; i++) {
                w[i] += 1e-3f * step[i]; // as Adam moves them: a little per update
            }
            raw.values().position(0).put(w, 0, w.length);
            norm.normalize(true);
        }
        assertThat(norm.sigma()).isCloseTo(singularValues(w, rows, cols)[0], within(1e-2));
    }

    @Test
    void theRawGradientIsTheDerivativeOfTheNormalizedWeightsLoss() {
        // L(W) = sum(R . W / sigma(W)) with sigma = u^T W v for the vectors of the last iteration, held fixed,
        // as the training step holds them: central differences against backward().
        int rows = 6, cols = 10;
        float[] w = fixtures.randoms(rows * cols);
        float[] r = fixtures.randoms(rows * cols);
        ParameterMemory raw = fixtures.parameter(w);
        SpectralNorm norm = new SpectralNorm(raw, rows, cols, new SplittableRandom(5));
        for (int i = 0; i < 3; i++) {
            norm.normalize(true); // not converged: the gradient must hold for any u and v
        }
        norm.normalized().gradient().position(0).put(r, 0, r.length);
        norm.backward();
        float[] gradient = KernelFixtures.gradient(raw);

        double h = 1e-2;
        for (int i = 0; i < w.length; i++) {
            double plus = lossAt(norm, raw, w, r, i, h);
            double minus = lossAt(norm, raw, w, r, i, -h);
            assertThat((double) gradient[i]).as("weight %d", i).isCloseTo((plus - minus) / (2 * h), within(2e-3));
        }
        // The loss does not change when W is scaled (W / sigma(W) does not), so the gradient is orthogonal to W.
        double along = 0;
        for (int i = 0; i < w.length; i++) {
            along += gradient[i] * w[i];
        }
        assertThat(along).isCloseTo(0, within(1e-3));
    }

    private static double lossAt(SpectralNorm norm, ParameterMemory raw, float[] w, float[] r, int i, double h) {
        float[] moved = w.clone();
        moved[i] += (float) h;
        raw.values().position(0).put(moved, 0, moved.length);
        norm.normalize(false);
        float[] normalized = values(norm.normalized());
        raw.values().position(0).put(w, 0, w.length);
        double loss = 0;
        for (int j = 0; j < r.length; j++) {
            loss += (double) r[j] * normalized[j];
        }
        return loss;
    }

    @Test
    void itsVectorsComeBackFromItsState() {
        int rows = 8, cols = 12;
        float[] w = fixtures.randoms(rows * cols);
        SpectralNorm first = new SpectralNorm(fixtures.parameter(w), rows, cols, new SplittableRandom(6));
        for (int i = 0; i < 5; i++) {
            first.normalize(true);
        }
        SpectralNorm second = new SpectralNorm(fixtures.parameter(w), rows, cols, new SplittableRandom(7));
        second.restore(first.state());

        first.normalize(true);
        second.normalize(true);

        assertThat(second.sigma()).isEqualTo(first.sigma());
        assertThat(values(second.normalized())).containsExactly(values(first.normalized()));
    }
}
