package dev.gan.train;

/**
 * Losses and discriminator outputs of one iteration: mean D loss (real + fake), mean G loss, mean D(x) on the
 * real batch and mean D(G(z)) on the fake batch of the discriminator step.
 */
public record IterationStats(double dLoss, double gLoss, double dReal, double dFake) {

    public boolean isFinite() {
        return Double.isFinite(dLoss) && Double.isFinite(gLoss);
    }
}
