package dev.gan.data;

import dev.gan.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class DatasetNameTest {

    @TempDir
    Path tmp;

    @Test
    void thePublishedFilesAreKnownAsTheirDataSetsCompressedOrNot() throws Exception {
        Path labels = TestData.mnistDir().resolve("t10k-labels-idx1-ubyte.gz");
        Path uncompressed = tmp.resolve("t10k-labels-idx1-ubyte");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(labels))) {
            Files.copy(in, uncompressed);
        }

        assertThat(DatasetName.publisherOf(labels)).contains(DatasetName.MNIST);
        assertThat(DatasetName.publisherOf(uncompressed)).contains(DatasetName.MNIST);
    }

    @Test
    void aUsersOwnFilesAndAPublishedFileUnderAnotherNameAreNoDataSets() throws Exception {
        Path own = TestData.ownCopy(tmp.resolve("own"), Split.TEST, 50);
        Path renamed = Files.copy(TestData.mnistDir().resolve("t10k-labels-idx1-ubyte.gz"),
                tmp.resolve("train-labels-idx1-ubyte.gz"));

        assertThat(DatasetName.publisherOf(own.resolve(Split.TEST.labelsFileName()))).isEmpty();
        assertThat(DatasetName.publisherOf(renamed)).isEmpty();
    }
}
