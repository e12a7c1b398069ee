package dev.gan.model;


/**
 * What a generator needs to be used without its training configuration: model kind, noise distribution and
 * size, image shape. Stored beside the weights in {@code generator.zip}.
 */
public record ModelSpec(boolean conditional, int noiseDim, NoiseKind noise, int hidden, int rows, int cols,
                        int numClasses, WeightInitKind weightInit) {

    public int imageSize() {
        return rows * cols;
    }

    public String kind() {
        return conditional ? "conditional" : "plain";
    }
}
