package dev.gan.reliability;

import dev.gan.TestData;
import dev.gan.run.RunLock;
import dev.gan.run.RunLockedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunLockTest {

    @TempDir
    Path tmp;

    @Test
    void aSecondLockOnTheSameDirectoryIsRefusedWithTheOwnersPid() throws Exception {
        try (RunLock first = RunLock.acquire(tmp)) {
            assertThatThrownBy(() -> RunLock.acquire(tmp))
                    .isInstanceOf(RunLockedException.class)
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
        }
        try (RunLock again = RunLock.acquire(tmp)) {
            assertThat(tmp.resolve(RunLock.FILE_NAME)).exists();
        }
        assertThat(tmp.resolve(RunLock.FILE_NAME)).doesNotExist();
    }

    @Test
    void aStaleLockFileOfADeadProcessIsTakenOver() throws Exception {
        Files.writeString(tmp.resolve(RunLock.FILE_NAME), "999999999\n");

        try (RunLock lock = RunLock.acquire(tmp)) {
            assertThat(Files.readString(tmp.resolve(RunLock.FILE_NAME)).trim())
                    .isEqualTo(Long.toString(ProcessHandle.current().pid()));
        }
    }

    @Test
    void aSecondGanTrainOnTheSameRunDirectoryRefuses() throws Exception {
        Path run = tmp.resolve("run");
        GanProcess first = GanProcess.start(tmp.resolve("first.log"), "train", "--data",
                TestData.mnistDir().toAbsolutePath().toString(), "--split", "test", "--epochs", "50",
                "--out", run.toString());
        try {
            long deadline = System.currentTimeMillis() + 60_000;
            while (!Files.exists(run.resolve("config.json")) && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            StringWriter err = new StringWriter();
            int code = dev.gan.Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "train", "--resume",
                    run.toString());

            assertThat(code).isEqualTo(2);
            assertThat(err.toString()).contains("another gan train is using this run directory",
                    "pid " + first.pid());
            assertThat(err.toString().strip().lines()).hasSize(1);
        } finally {
            first.signal("KILL");
            first.waitFor(30);
        }
    }
}
