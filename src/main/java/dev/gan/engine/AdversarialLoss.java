package dev.gan.engine;

import dev.gan.config.LossKind;

/**
 * The adversarial loss on D's logits, written once for both engines: the graph engine hands it DL4J's logits,
 * the direct steps their own. Each method also writes dLoss/dlogit per row into {@code errors} (which may be the
 * {@code logits} array itself); the updates divide by the count of D's examples of one kind, so the losses
 * returned are sums over the rows divided by {@code realRows} (D: mean over real + mean over fake) or means (G).
 */
public interface AdversarialLoss {

    /**
     * D's loss on {@code rows} logits, the first {@code realRows} of them real, against {@code targets} (1 - label
     * smoothing for real rows, 0 for fake). Returns {loss, mean D(x), mean D(G(z))}, D's outputs read as sigmoid
     * probabilities whatever the loss.
     */
    double[] discriminator(float[] logits, float[] targets, int rows, int realRows, float[] errors);

    /** G's loss on D's logits for {@code rows} fakes; returns its mean. */
    double generator(float[] logits, int rows, float[] errors);

    /** The loss a run's config names; a new {@link LossKind} does not compile until it is written here. */
    static AdversarialLoss of(LossKind kind) {
        return switch (kind) {
            case BCE -> new SigmoidCrossEntropy(true);
            case MINIMAX -> new SigmoidCrossEntropy(false);
            case HINGE -> new Hinge();
        };
    }

    /** log(1 + e^z) without overflow. */
    static double softplus(double z) {
        return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    }

    static float sigmoid(float z) {
        return (float) (1.0 / (1.0 + Math.exp(-z)));
    }

    /**
     * One row of D's loss: its value, with dLoss/dlogit written to {@code errors[row]}. Given the arrays rather than
     * capturing them, so that each loss's row function is one object made once, not one per training step.
     */
    interface RowLoss {
        double apply(int row, float logit, float probability, boolean real, float[] targets, float[] errors);
    }

    /**
     * D's loss summed over the rows (the first {@code realRows} real) divided by {@code realRows}, with mean D(x)
     * and D(G(z)) as sigmoid probabilities. Each logit is read before its row's error is written (they may share
     * an array).
     */
    private static double[] sumOverRows(float[] logits, float[] targets, int rows, int realRows, float[] errors,
                                        RowLoss row) {
        double loss = 0;
        double real = 0;
        double fake = 0;
        for (int i = 0; i < rows; i++) {
            float z = logits[i];
            float p = sigmoid(z);
            loss += row.apply(i, z, p, i < realRows, targets, errors);
            if (i < realRows) {
                real += p;
            } else {
                fake += p;
            }
        }
        return new double[] {loss / realRows, real / realRows, fake / realRows};
    }

    /** D: sigmoid cross-entropy softplus(z) - t z (gradient sigmoid(z) - t); G: non-saturating or minimax. */
    record SigmoidCrossEntropy(boolean nonSaturating) implements AdversarialLoss {
        @Override
        public double[] discriminator(float[] logits, float[] targets, int rows, int realRows, float[] errors) {
            return sumOverRows(logits, targets, rows, realRows, errors, (i, z, p, real, t, e) -> {
                e[i] = p - t[i];
                return softplus(z) - (double) t[i] * z;
            });
        }

        @Override
        public double generator(float[] logits, int rows, float[] errors) {
            double total = 0;
            for (int i = 0; i < rows; i++) {
                float z = logits[i];
                float p = sigmoid(z);
                if (nonSaturating) {
                    total += softplus(-z); // -log sigmoid(z); gradient sigmoid(z) - 1
                    errors[i] = p - 1f;
                } else {
                    total -= softplus(z); // log(1 - sigmoid(z)); gradient -sigmoid(z)
                    errors[i] = -p;
                }
            }
            return total / rows;
        }
    }

    /** D: relu(1 - z) on real rows, relu(1 + z) on fake ones; G: -z. Targets are not read (no smoothing). */
    record Hinge() implements AdversarialLoss {
        @Override
        public double[] discriminator(float[] logits, float[] targets, int rows, int realRows, float[] errors) {
            return sumOverRows(logits, targets, rows, realRows, errors, (i, z, p, real, t, e) -> {
                e[i] = real ? (z < 1f ? -1f : 0f) : (z > -1f ? 1f : 0f);
                return Math.max(0, real ? 1.0 - z : 1.0 + z);
            });
        }

        @Override
        public double generator(float[] logits, int rows, float[] errors) {
            double total = 0;
            for (int i = 0; i < rows; i++) {
                total -= logits[i];
                errors[i] = -1f;
            }
            return total / rows;
        }
    }
}
