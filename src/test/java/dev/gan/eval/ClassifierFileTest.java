package dev.gan.eval;

import dev.gan.model.InvalidModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClassifierFileTest {

    @TempDir
    Path dir;

    @Test
    void aFileThatIsNoZipIsRefusedSayingWhatWentWrongNotAnExceptionName() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.zip"), "my notes, not a model");

        assertThatThrownBy(() -> ClassifierFile.load(file))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageStartingWith(file + ": not a gan classifier file (")
                .message().doesNotContain("(RuntimeException)").doesNotContain("(IllegalStateException)");
    }

    @Test
    void aZipWithoutTheClassifierInsideIsRefusedNamingWhatIsMissing() throws IOException {
        Path file = dir.resolve("other.zip");
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("readme.txt"));
            zip.write("another program's archive".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }

        assertThatThrownBy(() -> ClassifierFile.load(file))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageStartingWith(file + ": not a gan classifier file (")
                .hasMessageContaining(ClassifierFile.INFO_ENTRY);
    }

    @Test
    void aMissingFileIsNamed() {
        Path file = dir.resolve("absent.zip");

        assertThatThrownBy(() -> ClassifierFile.load(file))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage(file + ": classifier file not found");
        assertThat(file).doesNotExist();
    }
}
