package dev.gan.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.assertj.core.api.Assertions.assertThat;

/** The folder of runs: which run is the newest finished one, and the {@code latest} link. */
class RunsFolderTest {

    @TempDir
    Path root;

    /** A run directory that looks finished (all its epochs in metrics.csv, a generator) or not. */
    private Path run(String name, int epochs, int epochsDone, boolean generator, long modifiedMillis) throws IOException {
        Path run = Files.createDirectories(root.resolve(name));
        Files.writeString(run.resolve("config.json"),
                "{\"config\":{\"epochs\":" + epochs + "},\"model\":{},\"data\":{}}");
        StringBuilder metrics = new StringBuilder("epoch,iterations\n");
        for (int e = 1; e <= epochsDone; e++) {
            metrics.append(e).append(',').append(10 * e).append('\n');
        }
        Files.writeString(run.resolve("metrics.csv"), metrics);
        if (generator) {
            Files.writeString(run.resolve("generator.zip"), "g");
            Files.setLastModifiedTime(run.resolve("generator.zip"), FileTime.fromMillis(modifiedMillis));
        }
        return run;
    }

    @Test
    void theNewestFinishedRunIsTheOneWhoseGeneratorWasWrittenLast() throws Exception {
        run("a", 5, 5, true, 1_000_000);
        Path b = run("b", 5, 5, true, 2_000_000);
        run("c-running", 5, 3, true, 3_000_000);   // resumed for more epochs: its generator is an old one
        run("d-stopped", 5, 2, false, 0);

        assertThat(new RunsFolder(root).newestFinished()).contains(b);
    }

    @Test
    void latestNamesTheRunMarkedFinishedAndIsReplacedAtomically() throws Exception {
        Path a = run("a", 2, 2, true, 2_000_000);
        Path b = run("b", 2, 2, true, 1_000_000);
        RunsFolder folder = new RunsFolder(root);

        folder.markFinished(a);
        folder.markFinished(b);

        assertThat(Files.readSymbolicLink(root.resolve("latest"))).isEqualTo(Path.of("b"));
        assertThat(folder.newestFinished()).contains(b);
        try (var entries = Files.list(root)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a", "b", "latest");
        }
    }

    @Test
    void aLatestThatNoLongerNamesAFinishedRunIsPassedOver() throws Exception {
        Path a = run("a", 2, 2, true, 1_000_000);
        Path b = run("b", 2, 2, true, 2_000_000);
        RunsFolder folder = new RunsFolder(root);
        folder.markFinished(b);
        Files.delete(b.resolve("generator.zip"));

        assertThat(folder.newestFinished()).contains(a);
    }

    @Test
    void aLatestFileWhereLinksAreMissingIsReadToo() throws Exception {
        Path a = run("a", 2, 2, true, 1_000_000);
        Path b = run("b", 2, 2, true, 2_000_000);
        Files.writeString(root.resolve("latest"), "a\n");

        assertThat(new RunsFolder(root).newestFinished()).contains(a);
        assertThat(b).exists();
    }

    @Test
    void runsOutsideTheFolderLeaveLatestAlone() throws Exception {
        Path elsewhere = Files.createDirectories(root.resolveSibling(root.getFileName() + "-elsewhere").resolve("x"));

        new RunsFolder(root).markFinished(elsewhere);

        assertThat(root.resolve("latest")).doesNotExist();
        assertThat(new RunsFolder(root.resolve("none")).newestFinished()).isEmpty();
    }
}
