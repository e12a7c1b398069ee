package dev.gan.sample;

/** An endless stream of drawn images, a batch at a time, each with the noise vector it came from. */
public interface ImageDraws {

    /** Pixels of one image. */
    int imageSize();

    /** The next {@code n} images into the start of {@code pixels}; returns their noise vectors. */
    float[][] next(int n, float[] pixels);
}
