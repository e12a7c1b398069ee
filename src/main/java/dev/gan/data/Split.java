package dev.gan.data;

/** Which half of an MNIST-style data set: the standard file names start with this prefix. */
public enum Split {
    TRAIN("train"),
    TEST("t10k");

    private final String filePrefix;

    Split(String filePrefix) {
        this.filePrefix = filePrefix;
    }

    public String imagesFileName() {
        return filePrefix + "-images-idx3-ubyte";
    }

    public String labelsFileName() {
        return filePrefix + "-labels-idx1-ubyte";
    }
}
