package dev.gan.train;

/**
 * The adversarial loss, always computed from D's logits (softplus form, never log(0)).
 *
 * <p>BCE is sigmoid cross-entropy with the non-saturating generator loss -log D(G(z)). It is what both
 * reference scripts optimise: the plain one writes it as -mean(log D(x) + log(1 - D(G(z)))) and
 * -mean(log D(G(z))) on probabilities, the conditional one as cross-entropy on logits; the gradients agree.
 * MINIMAX keeps the discriminator loss and gives the generator the original saturating objective,
 * minimise log(1 - D(G(z))), from Goodfellow et al. 2014.
 */
public enum LossKind {
    BCE,
    MINIMAX
}
