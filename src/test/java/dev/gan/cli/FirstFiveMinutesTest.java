package dev.gan.cli;

import dev.gan.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands exactly as a newcomer types them, in a fresh folder: {@code gan train --conditional}, then
 * {@code gan sample --digit 7} with nothing else, each as its own process.
 */
class FirstFiveMinutesTest {

    @TempDir
    static Path home;

    record Outcome(int exitCode, String out, String err) {
    }

    /** gan as a process in {@code dir} (same classpath as the tests), stdout and stderr apart. */
    static Outcome gan(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.gan.Main"));
        command.addAll(Arrays.asList(args));
        Path out = Files.createTempFile(dir, ".out", ".txt");
        Path err = Files.createTempFile(dir, ".err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        builder.environment().remove("GAN_RUNS");
        Process process = builder.start();
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("gan " + String.join(" ", args) + " did not finish");
        }
        return new Outcome(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static final String[] SMALL = {"--limit", "500", "--batch-size", "50", "--hidden", "32", "--noise-dim", "16"};

    static String[] train(String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--conditional", "--data",
                TestData.mnistDir().toAbsolutePath().toString()));
        args.addAll(Arrays.asList(SMALL));
        args.addAll(Arrays.asList(extra));
        return args.toArray(String[]::new);
    }

    static Path trained;

    @BeforeAll
    static void trainAsANewcomerWould() throws Exception {
        trained = Files.createDirectories(home.resolve("newcomer"));
        Outcome t = gan(trained, train("--epochs", "2"));
        assertThat(t.exitCode()).as(t.err()).isZero();
    }

    @Test
    void sampleDigitSevenWithNothingElseDrawsSevensFromTheNewestRunIntoAPngItNames() throws Exception {
        Path run;
        try (var runs = Files.list(trained.resolve("runs"))) {
            run = runs.filter(p -> p.getFileName().toString().endsWith("-cgan")).findFirst().orElseThrow();
        }

        Outcome first = gan(trained, "sample", "--digit", "7");
        Outcome second = gan(trained, "sample", "--digit", "7");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.err()).contains("using runs/" + run.getFileName(), "newest finished run");
        assertThat(first.out().strip()).isEqualTo("wrote 100 images of digit 7 to digit-7.png");
        assertThat(ImageIO.read(trained.resolve("digit-7.png").toFile()).getWidth()).isGreaterThan(28 * 10);
        assertThat(second.out().strip()).as("a second call never overwrites nor fails")
                .isEqualTo("wrote 100 images of digit 7 to digit-7-2.png");
        assertThat(Files.readSymbolicLink(trained.resolve("runs/latest"))).isEqualTo(run.getFileName());
    }

    @Test
    void samplesStartedTogetherInOneFolderEachWriteTheirOwnFile() throws Exception {
        Path together = Files.createDirectories(home.resolve("together"));
        Path runs = Files.createSymbolicLink(together.resolve("runs"), trained.resolve("runs"));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        List<java.util.concurrent.Future<Outcome>> started = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            started.add(pool.submit(() -> gan(together, "sample", "--digit", "7", "--threads", "1")));
        }
        List<String> written = new ArrayList<>();
        for (java.util.concurrent.Future<Outcome> f : started) {
            Outcome o = f.get();
            assertThat(o.exitCode()).as(o.err()).isZero();
            written.add(o.out().strip().replace("wrote 100 images of digit 7 to ", ""));
        }
        pool.shutdown();

        assertThat(written).containsExactlyInAnyOrder("digit-7.png", "digit-7-2.png", "digit-7-3.png");
        for (String name : written) {
            assertThat(ImageIO.read(together.resolve(name).toFile())).as(name).isNotNull();
        }
        try (var files = Files.list(together)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")))
                    .containsExactlyInAnyOrder("runs", "digit-7.png", "digit-7-2.png", "digit-7-3.png");
        }
        assertThat(runs).isSymbolicLink();
    }

    @Test
    void aSampleThatFailsLeavesNoFileUnderTheNameItHadTaken() throws Exception {
        Path dir = Files.createDirectories(home.resolve("damaged"));
        Path run = Files.createDirectories(dir.resolve("runs")).resolve("broken");
        try (var files = Files.list(trained.resolve("runs"))) {
            Path good = files.filter(p -> p.getFileName().toString().endsWith("-cgan")).findFirst().orElseThrow();
            try (var tree = Files.walk(good)) {
                for (Path from : tree.toList()) {
                    Files.copy(from, run.resolve(good.relativize(from).toString()));
                }
            }
        }
        Files.writeString(run.resolve("generator.zip"), "not a zip");

        Outcome r = gan(dir, "sample", "--digit", "7");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("generator.zip: not a gan generator file");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")))
                    .containsExactly("runs");
        }
    }

    @Test
    void reportAndEvalTooTakeTheNewestRun() throws Exception {
        Outcome report = gan(trained, "report");

        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(report.err()).contains("using runs/");
        assertThat(report.out()).contains("report.html");
    }

    @Test
    void evalWithoutDataJudgesTheRunAgainstItsOwnDataAndDownloadsNothing() throws Exception {
        Path classifier = home.resolve("classifier.zip");
        CliRunner.Result c = CliRunner.run("classifier", "train", "--data", TestData.mnistDir().toString(),
                "--limit", "700", "--epochs", "1", "--out", classifier.toString());
        assertThat(c.exitCode()).as(c.err()).isZero();

        Outcome eval = gan(trained, "eval", "--classifier", classifier.toString(), "--count", "500", "--offline");

        assertThat(eval.exitCode()).as(eval.err()).isZero();
        assertThat(eval.err()).contains("using runs/", "judging against the run's own data",
                TestData.mnistDir().toAbsolutePath().normalize().getFileName().toString());
        assertThat(eval.out()).contains("classifier score", "label accuracy", "the test split (10000 images)");
        assertThat(eval.err()).as("trained on the train split: held out").doesNotContain("not held out");
    }

    @Test
    void withoutAFinishedRunTheCommandsSayToTrainFirst() throws Exception {
        Path empty = Files.createDirectories(home.resolve("empty"));

        Outcome r = gan(empty, "sample", "--digit", "7");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("no finished run", "train one first", "--run");
        assertThat(empty.resolve("digit-7.png")).doesNotExist();
    }

    @Test
    void aNewerButUnfinishedRunIsNeverPicked() throws Exception {
        Path dir = Files.createDirectories(home.resolve("unfinished"));
        assertThat(gan(dir, train("--epochs", "1", "--out", "runs/done")).exitCode()).isZero();
        // Stopped after its config.json: newer, but no generator.
        Outcome stopped = gan(dir, train("--epochs", "1", "--out", "runs/stopped", "--sample-scale", "1"));
        assertThat(stopped.exitCode()).isZero();
        Files.delete(dir.resolve("runs/stopped/generator.zip"));
        Files.delete(dir.resolve("runs/latest"));

        Outcome r = gan(dir, "sample", "--digit", "3");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("using runs/done");
    }

    @Test
    void onATerminalTheWholeRunIsOneBarWithTheEpochAndTheTimeLeft() throws Exception {
        Path dir = Files.createDirectories(home.resolve("terminal"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.gan.Main"));
        command.addAll(Arrays.asList(train("--epochs", "3")));
        String line = String.join(" ", command.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
        // util-linux script runs the command on a pseudo-terminal, as a person's shell would.
        Process process = new ProcessBuilder("script", "-qec", line, "/dev/null").directory(dir.toFile())
                .redirectErrorStream(true).start();
        String screen = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(screen).isZero();

        // The bar redraws itself in place: all its states stand on one line of the screen.
        List<String> barLines = Arrays.stream(screen.split("\n")).filter(l -> l.contains(" img/s")).toList();
        assertThat(barLines).as(screen).hasSize(1);
        String finalState = barLines.get(0).substring(barLines.get(0).lastIndexOf("train "));
        assertThat(finalState).startsWith("train 100%").contains("1500/1500", "epoch 3/3");
        assertThat(screen).doesNotContain("epoch 1/3  d_loss").contains("done: 3 epochs");
    }

    @Test
    void completionOffersRunDirectoriesForRunAndDigitsForDigit() throws Exception {
        Path script = home.resolve("completion.sh");
        Outcome c = gan(home, "completion");
        Files.writeString(script, c.out());
        Path dir = Files.createDirectories(home.resolve("completing"));
        Files.createDirectories(dir.resolve("runs/a-run"));
        Files.writeString(dir.resolve("runs/a-run/config.json"), "{}");
        Files.createDirectories(dir.resolve("runs/not-a-run"));

        Process bash = new ProcessBuilder("bash", "-c", "source " + script + " 2>/dev/null; "
                + "COMP_WORDS=(gan sample --run ''); COMP_CWORD=3; _picocli_gan_sample 2>/dev/null; echo \"${COMPREPLY[*]}\"; "
                + "COMP_WORDS=(gan sample --digit ''); COMP_CWORD=3; _picocli_gan_sample 2>/dev/null; echo \"${COMPREPLY[*]}\"")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        List<String> lines = new String(bash.getInputStream().readAllBytes()).lines().toList();
        bash.waitFor();

        assertThat(lines).containsExactly("runs/a-run", "0 1 2 3 4 5 6 7 8 9");
    }
}
