package dev.gan.model;

/** The distribution of the generator's latent noise z. */
public enum NoiseKind {
    /** N(0, 1): the plain reference. */
    GAUSSIAN,
    /** U(-1, 1): the conditional reference. */
    UNIFORM
}
