package dev.gan;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the tests find the real MNIST data set (both splits): {@code ../shared/data/mnist} beside the repository. */
public final class TestData {

    private TestData() {
    }

    public static Path mnistDir() {
        String override = System.getenv("GAN_TEST_MNIST");
        Path dir = override != null ? Path.of(override) : Path.of("..", "shared", "data", "mnist");
        if (!Files.isRegularFile(dir.resolve("t10k-images-idx3-ubyte.gz"))
                || !Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz"))) {
            throw new IllegalStateException("the real MNIST data set (train-* and t10k-* files) is expected in "
                    + dir.toAbsolutePath() + " (set GAN_TEST_MNIST to its folder)");
        }
        return dir;
    }
}
