package dev.gan.reliability;

import dev.gan.TestData;
import dev.gan.cli.CliRunnerAccess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the user made is never written over: every command that writes asks one rule (Ownership) whether it may,
 * and files that lie (a damaged metrics.csv, an argument file that is a folder) get one line and exit 2.
 */
class UsersFilesTest {

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    static Path run;
    static Path classifier;

    private static String[] tinyRun(Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--conditional", "--data",
                TestData.mnistDir().toString(), "--limit", "300", "--batch-size", "50", "--hidden", "16",
                "--noise-dim", "8", "--epochs", "1", "--out", out.toString(), "--quiet"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @BeforeAll
    static void trainARunAndAClassifier() {
        run = shared.resolve("run");
        var t = CliRunnerAccess.run(tinyRun(run));
        assertThat(t.exitCode()).as(t.err()).isZero();
        classifier = shared.resolve("classifier.zip");
        var c = CliRunnerAccess.run("classifier", "train", "--data", TestData.mnistDir().toString(), "--limit",
                "700", "--epochs", "1", "--out", classifier.toString());
        assertThat(c.exitCode()).as(c.err()).isZero();
    }

    private static void assertOneLineExitTwo(CliRunnerAccess.Result r, String... parts) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains(parts).doesNotContain("internal error", "Exception");
    }

    @Test
    void overwriteKeepsWhatTheUserPutIntoGansOwnFolders() throws Exception {
        Path finished = tmp.resolve("finished");
        assertThat(CliRunnerAccess.run(tinyRun(finished)).exitCode()).isZero();
        Files.writeString(finished.resolve("samples/keep.txt"), "mine");
        Files.writeString(finished.resolve("checkpoints/keep.txt"), "mine");
        Files.createDirectories(finished.resolve("plots"));
        Files.writeString(finished.resolve("plots/mine.txt"), "mine");

        var r = CliRunnerAccess.run(tinyRun(finished, "--overwrite"));

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(finished.resolve("samples/keep.txt")).hasContent("mine");
        assertThat(finished.resolve("checkpoints/keep.txt")).hasContent("mine");
        assertThat(finished.resolve("plots/mine.txt")).hasContent("mine");
        assertThat(finished.resolve("samples/epoch-001.png")).exists();
    }

    @Test
    void aLatestThatIsTheUsersFileOrFolderIsLeftAsItIsWithOneLine() throws Exception {
        Path runs = Files.createDirectories(tmp.resolve("runs"));
        Files.writeString(runs.resolve("latest"), "notes\n");

        var file = CliRunnerAccess.run(tinyRun(runs.resolve("a"), "--runs", runs.toString()));

        assertThat(file.exitCode()).as(file.err()).isZero();
        assertThat(runs.resolve("latest")).hasContent("notes\n");
        assertThat(file.err().strip().lines()).singleElement().asString().contains("runs/latest", "left as it is");

        Files.delete(runs.resolve("latest"));
        Files.createDirectories(runs.resolve("latest"));
        var folder = CliRunnerAccess.run(tinyRun(runs.resolve("b"), "--runs", runs.toString()));
        assertThat(folder.exitCode()).as(folder.err()).isZero();
        assertThat(runs.resolve("latest")).isDirectory();
    }

    @Test
    void evalAndClassifierTrainRefuseToWriteOverAFileGanDidNotWrite() throws Exception {
        Path thesis = Files.writeString(tmp.resolve("thesis.txt"), "chapter one");
        Path notes = Files.writeString(tmp.resolve("notes.txt"), "notes");

        var eval = CliRunnerAccess.run("eval", "--run", run.toString(), "--classifier", classifier.toString(),
                "--data", TestData.mnistDir().toString(), "--count", "200", "--out", thesis.toString());
        var train = CliRunnerAccess.run("classifier", "train", "--data", TestData.mnistDir().toString(), "--limit",
                "700", "--epochs", "1", "--out", notes.toString());

        assertOneLineExitTwo(eval, "thesis.txt", "already exists", "--force");
        assertOneLineExitTwo(train, "notes.txt", "already exists", "--force");
        assertThat(thesis).hasContent("chapter one");
        assertThat(notes).hasContent("notes");
    }

    @Test
    void evalReplacesItsOwnEvalJsonAndWithForceTheUsersFile() throws Exception {
        Path out = tmp.resolve("e.json");
        String[] eval = {"eval", "--run", run.toString(), "--classifier", classifier.toString(), "--data",
                TestData.mnistDir().toString(), "--count", "200", "--out", out.toString()};
        assertThat(CliRunnerAccess.run(eval).exitCode()).isZero();
        assertThat(CliRunnerAccess.run(eval).exitCode()).as("its own eval.json").isZero();

        Files.writeString(out, "mine");
        List<String> forced = new java.util.ArrayList<>(List.of(eval));
        forced.add("--force");
        assertThat(CliRunnerAccess.run(forced.toArray(String[]::new)).exitCode()).isZero();
        assertThat(Files.readString(out)).contains("\"evaluated\"");
    }

    @Test
    void experimentReportAndRunTakeOnlyExperimentFoldersAndKeepAHandWrittenSummary() throws Exception {
        Path foreign = Files.createDirectories(tmp.resolve("thesis"));
        Files.writeString(foreign.resolve("summary.md"), "my summary");
        Path file = Files.writeString(tmp.resolve("e.yaml"), "name: e\nbase: {data: " + TestData.mnistDir()
                + ", limit: 100, batch-size: 50, hidden: 8, noise-dim: 4, epochs: 1}\ngrid: {seed: [1]}\n");

        assertOneLineExitTwo(CliRunnerAccess.run("experiment", "report", foreign.toString()), "not an experiment folder");
        assertOneLineExitTwo(CliRunnerAccess.run("experiment", "run", file.toString(), "--out", foreign.toString()),
                "is not empty and is not a gan experiment folder");
        assertThat(foreign.resolve("summary.md")).hasContent("my summary");

        Path experiment = tmp.resolve("exp");
        var ran = CliRunnerAccess.run("experiment", "run", file.toString(), "--out", experiment.toString());
        assertThat(ran.exitCode()).as(ran.err()).isZero();
        assertThat(CliRunnerAccess.run("experiment", "report", experiment.toString()).exitCode()).isZero();
        Files.writeString(experiment.resolve("summary.md"), "my own notes");
        assertOneLineExitTwo(CliRunnerAccess.run("experiment", "report", experiment.toString()), "summary.md",
                "--force");
        assertThat(experiment.resolve("summary.md")).hasContent("my own notes");
        assertThat(CliRunnerAccess.run("experiment", "report", experiment.toString(), "--force").exitCode()).isZero();

        // Beside gan's own summary.md, each of the other files is known as gan's by its own content.
        assertThat(CliRunnerAccess.run("experiment", "report", experiment.toString()).exitCode())
                .as("all three gan's: replaced").isZero();
        for (String name : List.of("summary.csv", "report.html")) {
            String own = Files.readString(experiment.resolve(name));
            Files.writeString(experiment.resolve(name), "my " + name);
            assertOneLineExitTwo(CliRunnerAccess.run("experiment", "report", experiment.toString()), name, "--force");
            assertThat(experiment.resolve(name)).hasContent("my " + name);
            Files.writeString(experiment.resolve(name), own);
        }
    }

    @Test
    void aDamagedMetricsCsvIsOneLineNamingItAndARunInItsFirstEpochIsReported() throws Exception {
        Path copy = tmp.resolve("copy");
        Files.createDirectories(copy);
        Files.copy(run.resolve("config.json"), copy.resolve("config.json"));
        assertThat(CliRunnerAccess.run("report", copy.toString()).exitCode()).as("no metrics.csv yet").isZero();

        String metrics = Files.readString(run.resolve("metrics.csv"));
        for (String damaged : List.of("", metrics.substring(0, metrics.length() - 20),
                metrics.replaceFirst("\n1,", "\nabc,"))) {
            Files.writeString(copy.resolve("metrics.csv"), damaged);
            assertOneLineExitTwo(CliRunnerAccess.run("report", copy.toString()), "metrics.csv");
        }
    }

    @Test
    void anAbsurdBenchBatchIsRefusedBeforeAnythingIsAllocatedOrPrinted() {
        CliRunnerAccess.Result large = CliRunnerAccess.run("bench", "--batch-size", "1000000", "--repeats", "1");
        CliRunnerAccess.Result unindexable = CliRunnerAccess.run("bench", "--batch-size", "100000000");
        CliRunnerAccess.Result noHidden = CliRunnerAccess.run("bench", "--hidden", "0");

        assertOneLineExitTwo(large, "batch 1000000", "needs about");
        assertOneLineExitTwo(unindexable, "batch too large: a batch of 100000000", "make --batch-size smaller");
        assertOneLineExitTwo(noHidden, "Invalid value for option '--hidden': must be positive");
        assertThat(large.out() + unindexable.out() + noHidden.out()).isEmpty();
    }

    @Test
    void argumentFilesThatAreFoldersMissingOrIncludeThemselvesAreOneLine() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("af"));
        Path self = tmp.resolve("self.txt");
        Files.writeString(self, "--epochs 1 @" + self + "\n");

        assertOneLineExitTwo(CliRunnerAccess.run("train", "@" + folder), "is a folder");
        assertOneLineExitTwo(CliRunnerAccess.run("train", "@" + tmp.resolve("none.txt")), "argument file not found");
        assertOneLineExitTwo(CliRunnerAccess.run("train", "@" + self), "includes itself");
    }

    @Test
    void aStartKilledBeforeItsConfigStartsAfreshButAFileOfTheSameNameIsTheUsers() throws Exception {
        Path killed = Files.createDirectories(tmp.resolve("killed"));
        Files.writeString(killed.resolve("train.log"), "2026-12-06 01:29:05.075 INFO  TrainingRun - starting\n");
        Path notes = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(notes.resolve("train.log"), "what I tried on Monday\n");

        var fresh = CliRunnerAccess.run(tinyRun(killed));
        var refused = CliRunnerAccess.run(tinyRun(notes));

        assertThat(fresh.exitCode()).as(fresh.err()).isZero();
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(notes.resolve("train.log")).hasContent("what I tried on Monday\n");
    }

    @Test
    void aRunWhoseConfigNowPointsAtOtherDataIsRefusedBeforeAClassifierLearnsFromIt() throws Exception {
        Path copy = tmp.resolve("moved");
        Files.createDirectories(copy);
        Files.copy(run.resolve("generator.zip"), copy.resolve("generator.zip"));
        Path other = Files.createDirectories(tmp.resolve("other-data"));
        int[] digits = new int[100];
        dev.gan.data.IdxFixtures.write(other, "train-images-idx3-ubyte", dev.gan.data.IdxFixtures.images(100, 28, 28));
        dev.gan.data.IdxFixtures.write(other, "train-labels-idx1-ubyte", dev.gan.data.IdxFixtures.labels(digits));
        var config = (com.fasterxml.jackson.databind.node.ObjectNode) dev.gan.util.Json.MAPPER.readTree(
                run.resolve("config.json").toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) config.get("config")).put("dataDir", other.toString());
        Files.writeString(copy.resolve("config.json"), dev.gan.util.Json.MAPPER.writeValueAsString(config));
        String home = System.getProperty("user.home");
        System.setProperty("user.home", tmp.toString()); // no default classifier there: one would be trained
        try {
            assertOneLineExitTwo(CliRunnerAccess.run("eval", "--run", copy.toString(), "--count", "100"),
                    "config.json", "does not hold the images the run trained on");
        } finally {
            System.setProperty("user.home", home);
        }
        assertThat(tmp.resolve(".gan/classifier")).doesNotExist();
    }

    @Test
    void aRunWhoseDataFolderIsGoneSaysSoAndDownloadsNothingIntoIt() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data-then-deleted"));
        for (String file : java.util.List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            Files.copy(TestData.mnistDir().resolve(file), data.resolve(file));
        }
        Path gone = tmp.resolve("gone");
        var trained = CliRunnerAccess.run("train", "--data", data.toString(), "--split", "test", "--limit", "100",
                "--batch-size", "50", "--hidden", "16", "--noise-dim", "8", "--epochs", "1", "--out", gone.toString(),
                "--quiet");
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        for (String file : java.util.List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            Files.delete(data.resolve(file));
        }

        assertOneLineExitTwo(CliRunnerAccess.run("eval", "--run", gone.toString(), "--count", "100"),
                "config.json: the data the run trained on is no longer in " + data.toAbsolutePath(),
                "missing t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz; moved or deleted?", "--data DIR");
        try (var left = Files.list(data)) {
            assertThat(left).isEmpty();
        }
    }
}
