package dev.gan.util;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A file is replaced whole or not at all, and a failed write names the file and leaves nothing behind. */
class AtomicFilesTest {

    @TempDir
    Path tmp;

    private long temporaryFiles() throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count();
        }
    }

    @Test
    void aWriteReplacesTheFileWholeAndReadableByAll() throws Exception {
        Path target = tmp.resolve("config.json");
        Files.writeString(target, "old");

        AtomicFiles.writeString(target, "new");

        assertThat(target).hasContent("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r--r--");
        assertThat(temporaryFiles()).isZero();
    }

    @Test
    void aFailingWriterLeavesTheOldFileAndNoTemporaryFile() throws Exception {
        Path target = tmp.resolve("metrics.csv");
        Files.writeString(target, "epoch\n1\n");

        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write("half a fi".getBytes());
            throw new IOException("disk gone");
        })).isInstanceOf(IOException.class).hasMessageStartingWith(target.toString()).hasMessageContaining("disk gone");

        assertThat(target).hasContent("epoch\n1\n");
        assertThat(temporaryFiles()).isZero();
    }

    @Test
    void aMissingFolderIsAnErrorNamingTheTarget() {
        Path target = tmp.resolve("no/such/folder/file.txt");

        assertThatThrownBy(() -> AtomicFiles.writeString(target, "x"))
                .isInstanceOf(IOException.class)
                .hasMessage(target + ": cannot write (no such file or folder)");
    }

    @Test
    void aClaimTakesAFreeNameOnceAndItsReleaseRemovesOnlyAnEmptyPlaceholder() throws Exception {
        Path grid = tmp.resolve("digit-7.png");
        Path unused = tmp.resolve("digit-7-labels");
        Path folder = tmp.resolve("pngs");

        assertThat(AtomicFiles.claim(grid, false)).isTrue();
        assertThat(AtomicFiles.claim(grid, false)).as("taken now").isFalse();
        assertThat(AtomicFiles.claim(unused, false)).isTrue();
        assertThat(AtomicFiles.claim(folder, true)).isTrue();
        AtomicFiles.writeString(grid, "image");
        AtomicFiles.release(grid);
        AtomicFiles.release(unused);
        AtomicFiles.release(folder);

        assertThat(grid).hasContent("image");
        assertThat(unused).doesNotExist();
        assertThat(folder).doesNotExist();
        assertThat(temporaryFiles()).isZero();
    }

    @Test
    void aNameThatExistsIsNeverClaimedNorRemovedByARelease() throws Exception {
        Path mine = Files.writeString(tmp.resolve("digit-7.png"), "");

        assertThat(AtomicFiles.claim(mine, false)).isFalse();
        AtomicFiles.release(mine);

        assertThat(mine).exists();
    }

    @Test
    void aClaimTheSystemRefusesSaysWhy() {
        Path target = tmp.resolve("no-such-folder/digit-7.png");

        assertThatThrownBy(() -> AtomicFiles.claim(target, false))
                .isInstanceOf(IOException.class).hasMessage(target + ": cannot write (no such file or folder)");
    }

    @Test
    void aNumberedNameIsTheFirstFreeOneAndLeavesWhatWasThereAlone(@TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("generator.onnx"), "mine");
        Files.createDirectory(dir.resolve("generator-2.onnx"));
        String base = dir.resolve("generator").toString();

        Path first = AtomicFiles.claimNumbered(base, ".onnx", name -> AtomicFiles.claim(name, false));
        Path second = AtomicFiles.claimNumbered(base, ".onnx", name -> AtomicFiles.claim(name, false));

        assertThat(first).isEqualTo(dir.resolve("generator-3.onnx"));
        assertThat(second).as("the first claim holds its name").isEqualTo(dir.resolve("generator-4.onnx"));
        assertThat(dir.resolve("generator.onnx")).hasContent("mine");
        assertThat(dir.resolve("generator-2.onnx")).isEmptyDirectory();
        AtomicFiles.release(first);
        AtomicFiles.release(second);
        assertThat(first).doesNotExist();
    }
}
