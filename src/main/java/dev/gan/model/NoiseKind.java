package dev.gan.model;

/** The distribution of the generator's latent noise z. */
public enum NoiseKind {
    /** N(0, 1): the plain reference. */
    GAUSSIAN,
    /** U(-1, 1): the conditional reference. */
    UNIFORM,
    /**
     * N(0, 1) but for the last {@link #CATEGORIES} entries, which are a one-hot category drawn uniformly: a
     * discrete part of z that a plain G can use to jump between digits rather than morph through in-between
     * shapes (a mixture prior, as in InfoGAN's categorical code without its extra loss). No label is involved.
     */
    CATEGORICAL;

    /** Size of the categorical part of z. */
    public static final int CATEGORIES = 10;

    /** Where the Gaussian part of a z of {@code size} entries ends (the whole z for the other kinds). */
    public int continuousSize(int size) {
        return this == CATEGORICAL ? size - CATEGORIES : size;
    }
}
