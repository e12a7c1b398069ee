package dev.gan.model;

/** The shape of both networks. */
public enum Architecture {
    /** One hidden Dense layer in G and in D: the reference tutorial's models. */
    MLP,
    /** Convolutional: G projects and upsamples with batch norm, D downsamples with strided convolutions. */
    DCGAN
}
