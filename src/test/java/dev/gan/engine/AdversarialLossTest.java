package dev.gan.engine;

import dev.gan.config.LossKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The adversarial losses both engines use: values, and errors that are the losses' derivatives. */
class AdversarialLossTest {

    /** Logits of 3 real and 3 fake examples, none on the hinge's kinks at +-1. */
    private static final float[] LOGITS = {2.5f, 0.3f, -1.7f, 1.4f, -0.2f, -3.1f};
    private static final float[] TARGETS = {0.9f, 0.9f, 0.9f, 0, 0, 0};
    private static final int REAL = 3;

    @ParameterizedTest
    @EnumSource(LossKind.class)
    void theDiscriminatorsErrorsAreItsLossDerivativesPerRow(LossKind kind) {
        AdversarialLoss loss = AdversarialLoss.of(kind);
        float[] errors = new float[LOGITS.length];
        loss.discriminator(LOGITS.clone(), TARGETS, LOGITS.length, REAL, errors);

        for (int i = 0; i < LOGITS.length; i++) {
            int row = i;
            double numeric = central(z -> loss.discriminator(z, TARGETS, LOGITS.length, REAL,
                    new float[LOGITS.length])[0] * REAL, row);
            assertThat(errors[i]).as("row %d", i).isCloseTo((float) numeric, within(2e-3f));
        }
    }

    @ParameterizedTest
    @EnumSource(LossKind.class)
    void theGeneratorsErrorsAreItsLossDerivativesPerRow(LossKind kind) {
        AdversarialLoss loss = AdversarialLoss.of(kind);
        float[] errors = new float[LOGITS.length];
        loss.generator(LOGITS.clone(), LOGITS.length, errors);

        for (int i = 0; i < LOGITS.length; i++) {
            int row = i;
            double numeric = central(z -> loss.generator(z, LOGITS.length, new float[LOGITS.length]) * LOGITS.length,
                    row);
            assertThat(errors[i]).as("row %d", i).isCloseTo((float) numeric, within(2e-3f));
        }
    }

    @Test
    void theHingeLossHasMarginsOfOneAndReadsDsOutputsAsProbabilitiesForTheLog() {
        AdversarialLoss hinge = AdversarialLoss.of(LossKind.HINGE);

        double[] d = hinge.discriminator(LOGITS.clone(), TARGETS, LOGITS.length, REAL, new float[LOGITS.length]);
        double g = hinge.generator(new float[] {1.4f, -0.2f, -3.1f}, 3, new float[3]);

        // real: relu(1 - z) = 0, 0.7, 2.7; fake: relu(1 + z) = 2.4, 0.8, 0
        assertThat(d[0]).isCloseTo((0 + 0.7 + 2.7 + 2.4 + 0.8 + 0) / REAL, within(1e-6));
        assertThat(d[1]).isCloseTo((sigmoid(2.5) + sigmoid(0.3) + sigmoid(-1.7)) / 3, within(1e-6));
        assertThat(g).isCloseTo(-(1.4 - 0.2 - 3.1) / 3, within(1e-6));
    }

    @Test
    void softplusStaysFiniteForConfidentLogits() {
        double[] x = {-1000, -20, 0, 1, 20, 100, 1000};
        double[] expected = {0, 2.0611537e-9, 0.6931472, 1.3132616, 20, 100, 1000};

        for (int i = 0; i < x.length; i++) {
            assertThat(AdversarialLoss.softplus(x[i])).isCloseTo(expected[i], within(1e-6));
        }
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** d f / d z_row by central differences at LOGITS. */
    private static double central(java.util.function.ToDoubleFunction<float[]> f, int row) {
        float h = 1e-2f;
        float[] up = LOGITS.clone();
        float[] down = LOGITS.clone();
        up[row] += h;
        down[row] -= h;
        return (f.applyAsDouble(up) - f.applyAsDouble(down)) / (2 * h);
    }
}
