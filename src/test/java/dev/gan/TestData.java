package dev.gan;

import dev.gan.data.DataFiles;
import dev.gan.data.IdxFile;
import dev.gan.data.IdxReader;
import dev.gan.data.IdxWriter;
import dev.gan.data.Split;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

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

    /**
     * The first {@code count} digits of the real {@code split}, written uncompressed to {@code dir} as a user's own
     * MNIST-format files: no data set published them, so gan reads them as whichever data set it is told.
     */
    public static Path ownCopy(Path dir, Split split, int count) throws Exception {
        DataFiles real = DataFiles.locate(mnistDir(), split);
        IdxFile images = IdxReader.readImages(real.images(), count);
        byte[] labels = Arrays.copyOf(IdxReader.readLabels(real.labels(), 10).data(), images.count());
        Files.createDirectories(dir);
        try (OutputStream out = Files.newOutputStream(dir.resolve(split.imagesFileName()))) {
            IdxWriter.writeImages(out, images.count(), images.dims()[0], images.dims()[1], images.data());
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve(split.labelsFileName()))) {
            IdxWriter.writeLabels(out, labels);
        }
        return dir;
    }
}
