package dev.gan.data;

import dev.gan.util.Checksums;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The MNIST-format data sets the tool knows: where they live by default, where to download them from,
 * and the published MD5 of each gzip file (and of its content).
 */
public enum DatasetName {
    MNIST(
            List.of("https://ossci-datasets.s3.amazonaws.com/mnist/",
                    "https://storage.googleapis.com/cvdf-datasets/mnist/"),
            Map.of("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873",
                    "train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432",
                    "t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3",
                    "t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
            // The published MD5 of the uncompressed files.
            Map.of("train-images-idx3-ubyte.gz", "6bbc9ace898e44ae57da46a324031adb",
                    "train-labels-idx1-ubyte.gz", "a25bea736e30d166cdddb491f175f624",
                    "t10k-images-idx3-ubyte.gz", "2646ac647ad5339dbf082846283269ea",
                    "t10k-labels-idx1-ubyte.gz", "27ae3e4e09519cfbb04c329615203637")),
    FASHION(
            List.of("https://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
            Map.of("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
                    "train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe",
                    "t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79",
                    "t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"),
            // Not published: those of Debian's dataset-fashion-mnist (built from the upstream repository), whose
            // re-compressed .gz files have other MD5s than the published ones.
            Map.of("train-images-idx3-ubyte.gz", "f4a8712d7a061bf5bd6d2ca38dc4d50a",
                    "train-labels-idx1-ubyte.gz", "9018921c3c673c538a1fc5bad174d6f9",
                    "t10k-images-idx3-ubyte.gz", "8181f5470baa50b63fa0f6fddb340f0a",
                    "t10k-labels-idx1-ubyte.gz", "15d484375f8d13e6eb1aabb0c3f46965"));

    /** Where Debian's dataset-fashion-mnist package installs Fashion-MNIST. */
    public static final Path DEBIAN_FASHION_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    private final List<String> mirrors;
    private final Map<String, String> md5ByFile;
    private final Map<String, String> contentMd5ByFile;

    DatasetName(List<String> mirrors, Map<String, String> md5ByFile, Map<String, String> contentMd5ByFile) {
        this.mirrors = mirrors;
        this.md5ByFile = md5ByFile;
        this.contentMd5ByFile = contentMd5ByFile;
    }

    public String id() {
        return name().toLowerCase();
    }

    /** The name it is known by: MNIST, Fashion-MNIST. */
    public String displayName() {
        return this == FASHION ? "Fashion-MNIST" : "MNIST";
    }

    /**
     * The known data set that published {@code file} (by its standard name, with or without {@code .gz}, and its
     * MD5, compressed or not), if any: a folder of one data set is then not read as another. A file of the user's
     * own MNIST-format data has no such match.
     */
    public static Optional<DatasetName> publisherOf(Path file) throws IOException {
        String name = file.getFileName().toString();
        String gzipName = name.endsWith(".gz") ? name : name + ".gz";
        if (name.endsWith(".gz")) {
            String md5 = Checksums.md5(file);
            for (DatasetName dataset : values()) {
                if (md5.equalsIgnoreCase(dataset.md5Of(gzipName))) {
                    return Optional.of(dataset);
                }
            }
        }
        String content = name.endsWith(".gz") ? Checksums.gzipContentMd5(file) : Checksums.md5(file);
        for (DatasetName dataset : values()) {
            if (content != null && content.equalsIgnoreCase(dataset.contentMd5Of(gzipName))) {
                return Optional.of(dataset);
            }
        }
        return Optional.empty();
    }

    public List<String> mirrors() {
        return mirrors;
    }

    /** The published MD5 of a gzip file of this data set, or null for a name it does not have. */
    public String md5Of(String gzipFileName) {
        return md5ByFile.get(gzipFileName);
    }

    /**
     * The MD5 of a gzip file's uncompressed content, or null: a mirror that compressed the same IDX file again
     * (other gzip settings, other bytes) still serves the data set.
     */
    public String contentMd5Of(String gzipFileName) {
        return contentMd5ByFile.get(gzipFileName);
    }

    /**
     * Default data directory: {@code $GAN_DATA} (for MNIST), else {@code ~/.gan/data/mnist};
     * Fashion-MNIST defaults to where the Debian package puts it, if installed, else {@code ~/.gan/data/fashion}
     * ({@code ganFiles}: {@code ~/.gan}, see {@code UserFiles}).
     */
    public Path defaultDirectory(Map<String, String> env, Path ganFiles) {
        if (this == FASHION && java.nio.file.Files.isDirectory(DEBIAN_FASHION_DIR)) {
            return DEBIAN_FASHION_DIR;
        }
        String fromEnv = this == MNIST ? env.get("GAN_DATA") : null;
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        return ganFiles.resolve("data").resolve(id());
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
