package dev.gan.reliability;

import dev.gan.TestData;
import dev.gan.model.GeneratorFile;
import dev.gan.run.Checkpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Real gan processes stopped by signals and by kill -9: nothing is lost and the run finishes identically. */
class InterruptionTest {

    @TempDir
    Path tmp;

    /** 1,000 images, batch 50, narrow nets: 20 iterations an epoch, a checkpoint and a grid every epoch. */
    private static String[] run(Path dir, int epochs) {
        List<String> args = new ArrayList<>(List.of("train", "--data", TestData.mnistDir().toAbsolutePath().toString(),
                "--split", "test", "--limit", "1000", "--batch-size", "50", "--hidden", "32", "--noise-dim", "16",
                "--epochs", Integer.toString(epochs), "--checkpoint-every", "1", "--sample-every", "1", "--seed", "3",
                "--out", dir.toString()));
        return args.toArray(String[]::new);
    }

    private INDArray uninterruptedGenerator(int epochs) throws Exception {
        Path whole = tmp.resolve("whole");
        GanProcess p = GanProcess.start(tmp.resolve("whole.log"), run(whole, epochs));
        assertThat(p.waitFor(300)).as(p.output()).isZero();
        return GeneratorFile.load(whole.resolve("generator.zip"), false).generator().params();
    }

    private static void waitForTraining(Path dir, GanProcess p) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (!Files.exists(dir.resolve("metrics.csv")) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(dir.resolve("metrics.csv")).as(p.output()).exists();
    }

    @Test
    void ctrlCWritesACheckpointAtTheCurrentIterationExits130AndTheResumedRunEndsIdentically() throws Exception {
        INDArray expected = uninterruptedGenerator(8);
        Path dir = tmp.resolve("interrupted");
        GanProcess p = GanProcess.start(tmp.resolve("int.log"), run(dir, 8));
        waitForTraining(dir, p);
        Thread.sleep(150); // into epoch 2

        p.signal("INT");

        assertThat(p.waitFor(60)).as(p.output()).isEqualTo(130);
        assertThat(p.output()).contains("stopped at epoch", "continue with --resume");
        assertThat(dir.resolve(".lock")).doesNotExist();
        GanProcess resumed = GanProcess.start(tmp.resolve("resume.log"), "train", "--resume", dir.toString());
        assertThat(resumed.waitFor(300)).as(resumed.output()).isZero();
        assertThat(GeneratorFile.load(dir.resolve("generator.zip"), false).generator().params()).isEqualTo(expected);
        assertThat(metricsWithoutTimings(dir)).as("the interrupted epoch's row too")
                .isEqualTo(metricsWithoutTimings(tmp.resolve("whole")));
    }

    /** metrics.csv without the columns that measure time and memory (seconds, images_per_s, rss_mb). */
    private static List<List<Double>> metricsWithoutTimings(Path run) throws IOException {
        dev.gan.run.MetricsTable metrics = dev.gan.run.MetricsTable.read(run.resolve("metrics.csv"));
        List<String> kept = metrics.header().stream()
                .filter(c -> !List.of("seconds", "images_per_s", "rss_mb").contains(c)).toList();
        return metrics.rows().stream().map(row -> kept.stream().map(c -> metrics.value(row, c)).toList()).toList();
    }

    @Test
    void aSecondCtrlCEndsTheProcessAtOnceAndSaysSo() throws Exception {
        Path dir = tmp.resolve("twice");
        GanProcess p = GanProcess.start(tmp.resolve("twice.log"), run(dir, 8));
        waitForTraining(dir, p);

        // The first signal asks for a checkpoint; the ones after it, sent before that is written, end gan at once.
        int code = -1;
        for (int sent = 0; sent < 400 && code < 0; sent++) {
            p.signal("INT");
            code = p.exitCodeWithin(5);
        }

        assertThat(code).isEqualTo(130);
        assertThat(p.output()).contains("stopped at once by a second SIGINT", "--resume");
    }

    @Test
    void sigtermExits143AfterCheckpointing() throws Exception {
        Path dir = tmp.resolve("terminated");
        GanProcess p = GanProcess.start(tmp.resolve("term.log"), run(dir, 8));
        waitForTraining(dir, p);

        p.signal("TERM");

        assertThat(p.waitFor(60)).as(p.output()).isEqualTo(143);
        assertThat(new Checkpoints(dir.resolve("checkpoints"), 3).complete()).isNotEmpty();
    }

    @Test
    void twentyKillMinusNinesInARowLoseNothing() throws Exception {
        // 40 epochs: at about 0.3 s an epoch (checkpoint included) no process gets far before its kill.
        INDArray expected = uninterruptedGenerator(40);
        Path dir = tmp.resolve("killed");
        Random random = new Random(20);
        int kills = 0;
        while (kills < 20) {
            // As a user would: resume a run that got as far as its config.json, else start it again.
            boolean resumable = Files.exists(dir.resolve("config.json"));
            GanProcess p = GanProcess.start(tmp.resolve("kill-" + kills + ".log"),
                    resumable ? new String[] {"train", "--resume", dir.toString()} : run(dir, 40));
            // JVM and ND4J start take about 1.5 s, the whole run ten seconds more: kill anywhere in it, start-up too.
            Thread.sleep(800 + random.nextInt(2500));
            p.signal("KILL");
            int code = p.waitFor(30);
            if (code == 0) {
                break; // finished before the kill landed; the end state is checked below all the same
            }
            kills++;
            assertEveryCheckpointLoadsAndNoPartialFileHasAFinalName(dir);
        }
        // On a loaded machine every kill may land before config.json: then the last start is a fresh one.
        GanProcess last = GanProcess.start(tmp.resolve("final.log"), Files.exists(dir.resolve("config.json"))
                ? new String[] {"train", "--resume", dir.toString()} : run(dir, 40));
        assertThat(last.waitFor(300)).as(last.output()).isZero();

        assertThat(kills).as("kills before the run could finish").isGreaterThanOrEqualTo(10);
        assertEveryCheckpointLoadsAndNoPartialFileHasAFinalName(dir);
        assertThat(GeneratorFile.load(dir.resolve("generator.zip"), false).generator().params()).isEqualTo(expected);
    }

    private static void assertEveryCheckpointLoadsAndNoPartialFileHasAFinalName(Path dir) throws Exception {
        if (!Files.isDirectory(dir.resolve("checkpoints"))) {
            return;
        }
        for (Path checkpoint : new Checkpoints(dir.resolve("checkpoints"), 3).complete()) {
            assertThat(GeneratorFile.load(checkpoint.resolve("generator.zip"), true).spec()).isNotNull();
            assertThat(org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(
                    checkpoint.resolve("discriminator.zip").toFile(), true).numParams()).isPositive();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".png")) {
                    assertThat(javax.imageio.ImageIO.read(file.toFile())).as(file.toString()).isNotNull();
                } else if (name.equals("config.json") || name.equals("state.json")) {
                    assertThat(dev.gan.util.Json.MAPPER.readTree(file.toFile())).as(file.toString()).isNotNull();
                }
            }
        }
    }
}
