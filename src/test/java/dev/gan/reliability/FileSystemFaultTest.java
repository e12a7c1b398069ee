package dev.gan.reliability;

import dev.gan.TestData;
import dev.gan.run.Checkpoints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A run directory on a full or a read-only file system (a small tmpfs the test mounts; root may write to
 * read-only folders, so a real read-only mount is the honest test). Needs permission to mount: CI runs as root.
 */
class FileSystemFaultTest {

    @TempDir
    Path tmp;

    private Path mount;

    private static int sh(String... command) throws IOException, InterruptedException {
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    private Path mountTmpfs(String size) throws Exception {
        mount = Files.createDirectories(tmp.resolve("mnt"));
        assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mount.toString()) == 0,
                "mounting a tmpfs needs root and mount permission");
        return mount;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            sh("umount", mount.toString());
        }
    }

    private static String[] train(Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--data", TestData.mnistDir().toString(),
                "--split", "test", "--limit", "500", "--batch-size", "50", "--checkpoint-every", "1",
                "--out", out.toString(), "--quiet"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void aFullDiskIsAClearRuntimeErrorAndEarlierCheckpointsStayIntact() throws Exception {
        // Room for config, metrics, a grid and a couple of checkpoints of the 256-wide nets (~5.5 MB each),
        // but not for six.
        Path run = mountTmpfs("14m").resolve("run");

        var r = dev.gan.cli.CliRunnerAccess.run(train(run, "--epochs", "6"));

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).containsIgnoringCase("no space left on device");
        List<Path> kept = new Checkpoints(run.resolve("checkpoints"), 3).complete();
        assertThat(kept).isNotEmpty();
        for (Path checkpoint : kept) {
            assertThat(dev.gan.model.GeneratorFile.load(checkpoint.resolve("generator.zip"), true).spec()).isNotNull();
        }
        try (var files = Files.walk(run)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()).isEmpty();
        }
    }

    @Test
    void aCompletelyFullDiskNamesTheRunAndLeavesNoLockBehind() throws Exception {
        Path mnt = mountTmpfs("1m");
        sh("sh", "-c", "dd if=/dev/zero of=" + mnt.resolve("filler") + " bs=4k 2>/dev/null; true");
        Path run = mnt.resolve("run");

        var r = dev.gan.cli.CliRunnerAccess.run(train(run, "--epochs", "1"));

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains(run.toString()).containsIgnoringCase("no space left on device");
        assertThat(run.resolve(".lock")).doesNotExist();
    }

    @Test
    void aReadOnlyRunDirectoryIsAClearRuntimeErrorAndItsCheckpointsStayIntact() throws Exception {
        Path run = mountTmpfs("64m").resolve("run");
        assertThat(dev.gan.cli.CliRunnerAccess.run(train(run, "--epochs", "1")).exitCode()).isZero();
        byte[] before = Files.readAllBytes(run.resolve("checkpoints/epoch-0001/generator.zip"));
        assumeTrue(sh("mount", "-o", "remount,ro", mount.toString()) == 0, "remounting read-only needs root");

        var r = dev.gan.cli.CliRunnerAccess.run("train", "--resume", run.toString(), "--epochs", "3", "--quiet");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).containsIgnoringCase("read-only");
        assertThat(Files.readAllBytes(run.resolve("checkpoints/epoch-0001/generator.zip"))).isEqualTo(before);
    }
}
