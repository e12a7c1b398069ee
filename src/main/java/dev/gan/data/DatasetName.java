package dev.gan.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The MNIST-format data sets the tool knows: where they live by default, where to download them from,
 * and the published MD5 of each gzip file.
 */
public enum DatasetName {
    MNIST(
            List.of("https://ossci-datasets.s3.amazonaws.com/mnist/",
                    "https://storage.googleapis.com/cvdf-datasets/mnist/"),
            Map.of("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873",
                    "train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432",
                    "t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3",
                    "t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c")),
    FASHION(
            List.of("https://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
            Map.of("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
                    "train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe",
                    "t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79",
                    "t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"));

    /** Where Debian's dataset-fashion-mnist package installs Fashion-MNIST. */
    public static final Path DEBIAN_FASHION_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    private final List<String> mirrors;
    private final Map<String, String> md5ByFile;

    DatasetName(List<String> mirrors, Map<String, String> md5ByFile) {
        this.mirrors = mirrors;
        this.md5ByFile = md5ByFile;
    }

    public String id() {
        return name().toLowerCase();
    }

    public List<String> mirrors() {
        return mirrors;
    }

    /** The published MD5 of a gzip file of this data set, or null for a name it does not have. */
    public String md5Of(String gzipFileName) {
        return md5ByFile.get(gzipFileName);
    }

    /**
     * Default data directory: {@code $GAN_DATA} (for MNIST), else {@code ~/.gan/data/mnist};
     * Fashion-MNIST defaults to where the Debian package puts it, if installed, else {@code ~/.gan/data/fashion}.
     */
    public Path defaultDirectory(Map<String, String> env, Path home) {
        if (this == FASHION && java.nio.file.Files.isDirectory(DEBIAN_FASHION_DIR)) {
            return DEBIAN_FASHION_DIR;
        }
        String fromEnv = this == MNIST ? env.get("GAN_DATA") : null;
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        return home.resolve(".gan").resolve("data").resolve(id());
    }

    public static DatasetName parse(String text) {
        for (DatasetName name : values()) {
            if (name.id().equalsIgnoreCase(text)) {
                return name;
            }
        }
        throw new IllegalArgumentException("unknown dataset '" + text + "' (expected mnist or fashion)");
    }
}
