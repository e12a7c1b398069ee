package dev.gan.model;


/**
 * What a generator needs to be used without its training configuration: architecture, model kind, noise
 * distribution and size, image shape. Stored beside the weights in {@code generator.zip}.
 *
 * <p>{@code hidden} is the MLP's hidden width, or the DCGAN's channel count (G's first feature map, D's last).
 * Files written before the DCGAN existed have no {@code arch} and read as MLP.
 */
public record ModelSpec(boolean conditional, int noiseDim, NoiseKind noise, int hidden, int rows, int cols,
                        int numClasses, WeightInitKind weightInit, Architecture arch) {

    public ModelSpec {
        if (arch == null) {
            arch = Architecture.MLP;
        }
        if (arch == Architecture.DCGAN && (rows % 4 != 0 || cols % 4 != 0)) {
            throw new IllegalArgumentException("--arch dcgan needs image sides divisible by 4 (it upsamples twice), got "
                    + rows + "x" + cols);
        }
    }

    /** An MLP model. */
    public ModelSpec(boolean conditional, int noiseDim, NoiseKind noise, int hidden, int rows, int cols,
                     int numClasses, WeightInitKind weightInit) {
        this(conditional, noiseDim, noise, hidden, rows, cols, numClasses, weightInit, Architecture.MLP);
    }

    public int imageSize() {
        return rows * cols;
    }

    public String kind() {
        return conditional ? "conditional" : "plain";
    }
}
