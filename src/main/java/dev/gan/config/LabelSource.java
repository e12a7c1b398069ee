package dev.gan.config;

/** Where a cGAN takes the labels of its fake batches from. */
public enum LabelSource {
    /** The labels of the real batch of the same iteration, as in the reference. */
    DATA,
    /** Labels drawn uniformly at random from the classes. */
    UNIFORM
}
