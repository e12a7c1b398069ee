package dev.gan.config;

/**
 * The adversarial loss, always computed from D's logits; the engine package's AdversarialLoss computes each for
 * both engines.
 *
 * <p>BCE is sigmoid cross-entropy with the non-saturating generator loss -log D(G(z)). It is what both
 * reference scripts optimise: the plain one writes it as -mean(log D(x) + log(1 - D(G(z)))) and
 * -mean(log D(G(z))) on probabilities, the conditional one as cross-entropy on logits; the gradients agree.
 * MINIMAX keeps the discriminator loss and gives the generator the original saturating objective,
 * minimise log(1 - D(G(z))), from Goodfellow et al. 2014. HINGE is the hinge loss of SNGAN and BigGAN (Miyato et
 * al. 2018): D minimises mean(relu(1 - D(x))) + mean(relu(1 + D(G(z)))) on logits, G minimises -mean(D(G(z))).
 */
public enum LossKind {
    BCE,
    MINIMAX,
    HINGE;

    /** Whether D's targets are probabilities, which one-sided label smoothing can soften (the hinge has margins). */
    public boolean hasTargets() {
        return this != HINGE;
    }
}
