package dev.gan.data;

import dev.gan.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import static dev.gan.data.IdxFixtures.concat;
import static dev.gan.data.IdxFixtures.gzip;
import static dev.gan.data.IdxFixtures.header;
import static dev.gan.data.IdxFixtures.images;
import static dev.gan.data.IdxFixtures.labels;
import static dev.gan.data.IdxFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdxReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsTheRealMnistTestSet() throws DataException {
        ImageDataset test = ImageDataset.load(TestData.mnistDir(), Split.TEST, 0);

        assertThat(test.count()).isEqualTo(10_000);
        assertThat(test.rows()).isEqualTo(28);
        assertThat(test.cols()).isEqualTo(28);
        assertThat(test.pixels()).hasSize(10_000 * 784);
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (float p : test.pixels()) {
            min = Math.min(min, p);
            max = Math.max(max, p);
        }
        assertThat(min).isEqualTo(0f);
        assertThat(max).isEqualTo(1f);
        assertThat(Arrays.stream(test.labelHistogram()).boxed()).allSatisfy(n -> assertThat(n).isBetween(892, 1135));
        assertThat(Arrays.stream(test.labelHistogram()).sum()).isEqualTo(10_000);
        // The first test image is a 7; read once with xxd: byte 0x43 (67) at row 10, column 14.
        assertThat(test.label(0)).isEqualTo(7);
        assertThat(test.pixels()[10 * 28 + 14]).isEqualTo(67 / 255f);
        assertThat(test.pixels()[0]).isZero();
    }

    @Test
    void limitKeepsTheFirstItems() throws DataException {
        ImageDataset first = ImageDataset.load(TestData.mnistDir(), Split.TEST, 25);

        assertThat(first.count()).isEqualTo(25);
        assertThat(first.labels()).hasSize(25);
        assertThat(first.label(1)).isEqualTo(2);
    }

    @Test
    void readsRawAndGzipAlikeWhateverTheName() throws Exception {
        byte[] raw = images(3, 2, 4);
        Path plain = write(dir, "imgs.gz", raw);           // raw bytes under a .gz name
        Path packed = write(dir, "imgs.raw", gzip(raw));   // gzip under a raw name

        IdxFile a = IdxReader.readImages(plain);
        IdxFile b = IdxReader.readImages(packed);

        assertThat(a.count()).isEqualTo(3);
        assertThat(a.dims()).containsExactly(2, 4);
        assertThat(b.data()).isEqualTo(a.data());
    }

    @Test
    void readsNonSquareImages() throws Exception {
        IdxFile file = IdxReader.readImages(write(dir, "x", images(2, 3, 5)));

        assertThat(file.dims()).containsExactly(3, 5);
        assertThat(file.itemSize()).isEqualTo(15);
    }

    static Stream<Arguments> corruptImageFiles() throws IOException {
        byte[] good = images(4, 28, 28);
        return Stream.of(
                Arguments.of("empty file", new byte[0], "file is empty"),
                Arguments.of("wrong magic", concat(header(0x12345678, 4, 28, 28), new byte[4 * 784]), "not an IDX file"),
                Arguments.of("labels given as images", labels(1, 2, 3), "expected an images file"),
                Arguments.of("float element type", concat(header(0x00000D03, 1, 2, 2), new byte[16]), "not supported"),
                Arguments.of("header cut short", Arrays.copyOf(good, 10), "header ends"),
                Arguments.of("payload cut short", Arrays.copyOf(good, good.length - 100), "but the file has"),
                Arguments.of("trailing bytes", concat(good, new byte[3]), "but the file has"),
                Arguments.of("zero items", header(0x00000803, 0, 28, 28), "item count 0"),
                Arguments.of("negative dimension", header(0x00000803, 1, -28, 28), "dimension"),
                Arguments.of("2^31 images claimed (raw)", header(0x00000803, Integer.MIN_VALUE, 28, 28), "item count"),
                Arguments.of("2^31-1 images claimed (raw)", header(0x00000803, Integer.MAX_VALUE, 28, 28), "more than this reader supports"),
                Arguments.of("a million images claimed (gzip, data for 4)",
                        gzip(concat(header(0x00000803, 1_000_000, 28, 28), new byte[4 * 784])), "truncated"),
                Arguments.of("2^31-1 images claimed (gzip)",
                        gzip(concat(header(0x00000803, Integer.MAX_VALUE, 28, 28), new byte[784])), "more than this reader supports"),
                Arguments.of("gzip cut in the middle", Arrays.copyOf(gzip(good), gzip(good).length / 2), "truncated"),
                Arguments.of("gzip with corrupt body", corruptGzip(good), "corrupt gzip"),
                Arguments.of("gzip with trailing data", gzip(concat(good, new byte[5])), "data after"));
    }

    private static byte[] corruptGzip(byte[] data) throws IOException {
        byte[] packed = gzip(data);
        for (int i = 12; i < 40; i++) {
            packed[i] = (byte) 0xFF;
        }
        return packed;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptImageFiles")
    void rejectsCorruptImageFilesWithAClearMessage(String name, byte[] content, String expected) throws IOException {
        Path file = write(dir, "bad-images", content);

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(file.toString() + ":")
                .hasMessageContaining(expected)
                .hasMessageNotContaining("\n");
    }

    @Test
    void rejectsAnImagesFileGivenAsLabels() throws IOException {
        Path file = write(dir, "imgs", images(2, 28, 28));

        assertThatThrownBy(() -> IdxReader.readLabels(file, 10))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("expected a labels file");
    }

    @Test
    void rejectsLabelsOutOfRange() throws IOException {
        Path file = write(dir, "labels", labels(1, 2, 10));

        assertThatThrownBy(() -> IdxReader.readLabels(file, 10))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("label 10 at item 2 is out of range");
    }

    @Test
    void rejectsMissingFileAndDirectory() {
        assertThatThrownBy(() -> IdxReader.readImages(dir.resolve("nope")))
                .isInstanceOf(DataException.class).hasMessageContaining("file not found");
        assertThatThrownBy(() -> IdxReader.readImages(dir))
                .isInstanceOf(DataException.class).hasMessageContaining("directory");
    }

    @Test
    void rejectsImagesAndLabelsOfDifferentCounts() throws IOException {
        Path images = write(dir, "t10k-images-idx3-ubyte", images(3, 28, 28));
        Path labels = write(dir, "t10k-labels-idx1-ubyte", labels(1, 2));

        assertThatThrownBy(() -> ImageDataset.load(new DataFiles(images, labels), 0))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("has 2 labels but t10k-images-idx3-ubyte has 3 images");
    }

    @Test
    void writerOutputReadsBack() throws Exception {
        byte[] pixels = {0, 1, 2, (byte) 255, 4, 5};
        Path file = dir.resolve("w");
        try (var out = java.nio.file.Files.newOutputStream(file)) {
            IdxWriter.writeImages(out, 1, 2, 3, pixels);
        }

        IdxFile read = IdxReader.readImages(file);

        assertThat(read.count()).isEqualTo(1);
        assertThat(read.dims()).containsExactly(2, 3);
        assertThat(read.data()).isEqualTo(pixels);
    }
}
