package dev.gan.model;

/** Initial weights of both networks; biases always start at zero. */
public enum WeightInitKind {
    /** N(0, 0.01^2): the plain reference. */
    NORMAL,
    /** Glorot/Xavier uniform: the conditional reference. */
    XAVIER
}
