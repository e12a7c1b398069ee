package dev.gan.reliability;

import dev.gan.TestData;
import dev.gan.cli.CliRunnerAccess.Result;
import dev.gan.cli.CliRunnerAccess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cases that once failed when gan was used carelessly or with hostile input: each ends in one line on
 * stderr, exit 2 for the user's input (1 for the machine's), and never costs the user a file.
 */
class CarelessUserTest {

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    /** A finished 4-epoch run with checkpoints at epochs 2 and 4. */
    static Path finished;

    @BeforeAll
    static void trainOneRun() throws IOException {
        finished = shared.resolve("finished");
        Result r = CliRunnerAccess.run(train(finished, "--epochs", "4"));
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    private static String[] train(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--data", TestData.mnistDir().toString(),
                "--split", "test", "--limit", "300", "--batch-size", "50", "--hidden", "16", "--noise-dim", "8",
                "--checkpoint-every", "2", "--sample-every", "2", "--out", out.toString(), "--quiet"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private Path copyOfFinishedRun() throws IOException {
        return copyOfFinishedRun("copy");
    }

    private Path copyOfFinishedRun(String name) throws IOException {
        Path copy = tmp.resolve(name);
        try (Stream<Path> files = Files.walk(finished)) {
            for (Path source : files.toList()) {
                Path target = copy.resolve(finished.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        return copy;
    }

    private static void assertOneLineUsageError(Result r, String... mentions) {
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
        assertThat(r.err()).contains(mentions).doesNotContain("Exception", "\tat ");
    }

    // 1. --overwrite

    @Test
    void overwriteRefusesAFolderThatHoldsTheTrainingDataAndKeepsEveryFile() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("x"));
        Path data = Files.createDirectories(folder.resolve("data"));
        try (Stream<Path> files = Files.list(TestData.mnistDir())) {
            for (Path file : files.toList()) {
                Files.copy(file, data.resolve(file.getFileName().toString()));
            }
        }
        Files.writeString(folder.resolve("important.txt"), "keep");

        Result r = CliRunnerAccess.run("train", "--data", data.toString(), "--split", "test", "--limit", "300",
                "--epochs", "1", "--out", folder.toString(), "--overwrite", "--quiet");

        assertOneLineUsageError(r, folder.toString(), "would contain the training data");
        assertThat(Files.readString(folder.resolve("important.txt"))).isEqualTo("keep");
        assertThat(data.resolve("t10k-images-idx3-ubyte.gz")).isNotEmptyFile();
        assertThat(folder.resolve(".lock")).doesNotExist();
    }

    @Test
    void overwriteRefusesAFolderThatIsNotAGanRunAndSaysWhatIsThere() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("photos"));
        Files.writeString(folder.resolve("holiday.jpg"), "not a run");

        Result r = CliRunnerAccess.run(train(folder, "--epochs", "1", "--overwrite"));

        assertOneLineUsageError(r, "is not a gan run directory", "holiday.jpg");
        assertThat(Files.list(folder).map(p -> p.getFileName().toString()).toList()).containsExactly("holiday.jpg");
    }

    @Test
    void outAtOrAboveTheCurrentDirectoryIsRefused() {
        Result here = CliRunnerAccess.run(train(Path.of("."), "--epochs", "1", "--overwrite"));
        Result above = CliRunnerAccess.run(train(Path.of("..").toAbsolutePath(), "--epochs", "1", "--overwrite"));

        assertOneLineUsageError(here, "would contain the current directory");
        assertOneLineUsageError(above, "would contain");
        assertThat(Path.of("pom.xml")).exists();
    }

    @Test
    void overwriteReplacesARunButKeepsAFileTheUserPutBesideIt() throws Exception {
        Path run = copyOfFinishedRun();
        Files.writeString(run.resolve("notes.txt"), "my notes");

        Result r = CliRunnerAccess.run(train(run, "--epochs", "1", "--overwrite"));

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.readString(run.resolve("notes.txt"))).isEqualTo("my notes");
        assertThat(Files.readAllLines(run.resolve("metrics.csv"))).hasSize(2);
        assertThat(run.resolve("checkpoints/epoch-0004")).doesNotExist();
        assertThat(run.resolve("samples/epoch-004.png")).doesNotExist();
    }

    @Test
    void outThatIsAFileIsAUsageError() throws Exception {
        Path file = Files.writeString(tmp.resolve("file.txt"), "x");

        assertOneLineUsageError(CliRunnerAccess.run(train(file, "--epochs", "1")), "is a file");
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    // 2. model size

    @Test
    void aModelTooLargeForMemoryIsRefusedBeforeAnythingIsAllocated() {
        for (String[] option : new String[][] {{"--hidden", "2000000000"}, {"--noise-dim", "100000000"},
                {"--hidden", "3000000"}, {"--hidden", "2000000"}, {"--noise-dim", "10000000"}}) {
            Path out = tmp.resolve("big" + option[1]);
            Result r = CliRunnerAccess.run("train", "--data", TestData.mnistDir().toString(), "--split", "test",
                    "--limit", "300", "--epochs", "1", "--out", out.toString(), option[0], option[1]);

            assertOneLineUsageError(r, "model too large");
            assertThat(out).as("a refused run leaves no folder").doesNotExist();
        }
        assertOneLineUsageError(CliRunnerAccess.run("bench", "--hidden", "3000000", "--iterations", "1",
                "--warmup", "0", "--repeats", "1"), "model too large");
        try (Stream<Path> files = Files.list(Path.of("."))) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("hs_err")).toList()).isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    // 3. output sizes

    @Test
    void gridsTooLargeToDrawAreUsageErrors() {
        assertOneLineUsageError(CliRunnerAccess.run("sample", "--run", finished.toString(), "--count", "10000",
                "--scale", "32", "--out", tmp.resolve("huge.png").toString()), "--scale", "pixels");
        assertOneLineUsageError(CliRunnerAccess.run(train(tmp.resolve("s"), "--epochs", "1", "--sample-scale",
                "1000")), "sample-scale");
        assertThat(tmp.resolve("huge.png")).doesNotExist();
    }

    // 4. and 5. damaged run files

    @Test
    void aTruncatedZipInTheNewestCheckpointFallsBackToThePreviousOneSayingSo() throws Exception {
        Path run = copyOfFinishedRun();
        Path broken = run.resolve("checkpoints/epoch-0004/generator.zip");
        try (var channel = java.nio.channels.FileChannel.open(broken, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(broken) / 2);
        }

        Result r = CliRunnerAccess.run("train", "--resume", run.toString(), "--epochs", "5", "--quiet");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("epoch-0004 is unreadable", "resuming from", "epoch-0002");
        assertThat(Files.readAllLines(run.resolve("metrics.csv"))).hasSize(6);
        assertThat(run.resolve("checkpoints/epoch-0005/state.json")).exists();
    }

    @Test
    void aDamagedStateJsonFallsBackAndWhenNoCheckpointReadsTheRunIsRefusedNamingEach() throws Exception {
        Path run = copyOfFinishedRun("state");
        Files.writeString(run.resolve("checkpoints/epoch-0004/state.json"), "{\"epoch\":");

        Result fellBack = CliRunnerAccess.run("train", "--resume", run.toString(), "--epochs", "5", "--quiet");

        assertThat(fellBack.exitCode()).as(fellBack.err()).isZero();
        assertThat(fellBack.err()).contains("epoch-0004 is unreadable (state.json");

        Path none = copyOfFinishedRun("none");
        Files.writeString(none.resolve("checkpoints/epoch-0004/state.json"), "{\"epoch\":");
        Files.write(none.resolve("checkpoints/epoch-0002/discriminator.zip"), new byte[] {1, 2, 3});

        assertOneLineUsageError(CliRunnerAccess.run("train", "--resume", none.toString(), "--epochs", "5"),
                "no checkpoint", "state.json", "discriminator.zip");
    }

    @Test
    void aDamagedMetricsTableIsAUsageErrorNamingItAndTheWayOnAndNothingIsWritten() throws Exception {
        Path run = copyOfFinishedRun("metrics");
        String damaged = "epoch,iterations\n1,x,y\n";
        Files.writeString(run.resolve("metrics.csv"), damaged);

        assertOneLineUsageError(CliRunnerAccess.run("train", "--resume", run.toString(), "--epochs", "5"),
                run.resolve("metrics.csv") + ": line 1 is not the header", "move it aside");
        assertThat(run.resolve("metrics.csv")).hasContent(damaged.strip());
        assertThat(run.resolve("checkpoints/epoch-0005")).doesNotExist();

        Files.delete(run.resolve("metrics.csv"));
        Result resumed = CliRunnerAccess.run("train", "--resume", run.toString(), "--epochs", "5", "--quiet");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(Files.readAllLines(run.resolve("metrics.csv"))).hasSize(2); // the header and epoch 5
    }

    @Test
    void aResumedRunMayRunOnOtherCoresButNotWithOtherSettings() throws Exception {
        Path run = copyOfFinishedRun("cores");

        Result settings = CliRunnerAccess.run("train", "--resume", run.toString(), "--epochs", "5", "--seed", "9");
        Result cores = CliRunnerAccess.run("train", "--resume", run.toString(), "--epochs", "5", "--threads", "1",
                "--quiet");

        assertOneLineUsageError(settings, "'--seed' cannot be combined with --resume");
        assertThat(cores.exitCode()).as(cores.err()).isZero();
        assertThat(Files.readAllLines(run.resolve("metrics.csv"))).hasSize(6); // the header and epochs 1-5
    }

    @Test
    void aResumedRunLeavesTheUsersReportHtmlAsItIsSayingSoOnce() throws Exception {
        Path run = copyOfFinishedRun("notes");
        Files.writeString(run.resolve("report.html"), "what I saw at epoch 4");

        Result r = CliRunnerAccess.run("train", "--resume", run.toString(), "--epochs", "6", "--quiet");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(run.resolve("report.html")).hasContent("what I saw at epoch 4");
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("report.html: already exists and is not a gan run's report.html",
                "left as it is; gan report --force " + run + " replaces it");
        assertThat(run.resolve("samples/epoch-006.png")).exists();
    }

    @Test
    void resumingARunWhoseCheckpointsWereDeletedSaysItStartsOver() throws Exception {
        Path run = copyOfFinishedRun("nocheckpoints");
        deleteTree(run.resolve("checkpoints"));

        Result r = CliRunnerAccess.run("train", "--resume", run.toString(), "--quiet");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains(run + " has no checkpoint left to resume from", "training it again from epoch 1");
        assertThat(Files.readAllLines(run.resolve("metrics.csv"))).hasSize(5); // the header and epochs 1-4 again
    }

    @Test
    void anEmptyOrForeignConfigJsonIsAUsageErrorNamingTheFile() throws Exception {
        Path run = copyOfFinishedRun();
        Files.writeString(run.resolve("config.json"), "");
        assertOneLineUsageError(CliRunnerAccess.run("train", "--resume", run.toString()), "config.json",
                "not a readable gan config.json");

        Files.writeString(run.resolve("config.json"), "{\"name\": \"something else\"}");
        assertOneLineUsageError(CliRunnerAccess.run("train", "--resume", run.toString()), "config.json");
    }

    // 9. numbers

    @Test
    void notANumberAndInfinityAreRejectedByEveryNumericOption() {
        for (String[] option : new String[][] {{"--leaky-relu", "NaN"}, {"--ema", "Infinity"}, {"--lr-d", "-Infinity"},
                {"--label-smoothing", "NaN"}, {"--dropout-d", "NaN"}, {"--beta1", "NaN"}, {"--label-scale", "Infinity"}}) {
            assertOneLineUsageError(CliRunnerAccess.run(train(tmp.resolve("n"), option)), option[0]);
        }
        assertOneLineUsageError(CliRunnerAccess.run("sample", "--run", finished.toString(), "--truncation", "NaN"),
                "--truncation");
        assertThat(tmp.resolve("n")).doesNotExist();
    }

    // 10. resuming

    @Test
    void resumingWithFewerEpochsThanTrainedIsRefusedAndWithAsManySaysNothingIsLeft() throws Exception {
        Path run = copyOfFinishedRun();

        assertOneLineUsageError(CliRunnerAccess.run("train", "--resume", run.toString(), "--epochs", "2"),
                "already trained 4 epochs", "--epochs");
        Result same = CliRunnerAccess.run("train", "--resume", run.toString());

        assertThat(same.exitCode()).as(same.err()).isZero();
        assertThat(same.out()).contains("nothing left to train: all 4 epochs are done");
        assertThat(Files.readAllLines(run.resolve("metrics.csv"))).hasSize(5);
    }

    @Test
    void aConfigJsonEditedAfterTheCheckpointsIsRefused() throws Exception {
        Path run = copyOfFinishedRun();
        String config = Files.readString(run.resolve("config.json"));
        Files.writeString(run.resolve("config.json"), config.replaceFirst("\"hidden\" : 16", "\"hidden\" : 64"));

        assertOneLineUsageError(CliRunnerAccess.run("train", "--resume", run.toString(), "--epochs", "5"),
                "'hidden' was 16, is now 64");

        Files.writeString(run.resolve("config.json"), config.replaceFirst("\"lrD\" : [0-9.E-]+", "\"lrD\" : 0.5"));
        assertOneLineUsageError(CliRunnerAccess.run("train", "--resume", run.toString(), "--epochs", "5"),
                "'lrD' was", "is now 0.5");
    }

    @Test
    void aFolderOrALinkLoopWhereADataFileShouldBeIsNamedAsSuch() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.copy(TestData.mnistDir().resolve("t10k-labels-idx1-ubyte.gz"), data.resolve("t10k-labels-idx1-ubyte.gz"));
        Files.createDirectories(data.resolve("t10k-images-idx3-ubyte.gz"));

        assertOneLineUsageError(CliRunnerAccess.run("train", "--data", data.toString(), "--split", "test",
                "--offline", "--out", tmp.resolve("r").toString()), "t10k-images-idx3-ubyte.gz", "is a directory");

        Files.delete(data.resolve("t10k-images-idx3-ubyte.gz"));
        Files.createSymbolicLink(data.resolve("t10k-images-idx3-ubyte.gz"), data.resolve("t10k-images-idx3-ubyte.gz"));
        assertOneLineUsageError(CliRunnerAccess.run("train", "--data", data.toString(), "--split", "test",
                "--offline", "--out", tmp.resolve("r").toString()), "t10k-images-idx3-ubyte.gz", "symbolic link");
    }

    @Test
    void aFolderOfTheOtherDataSetIsRefusedBeforeAClassifierLearnsFromIt() throws Exception {
        Path out = tmp.resolve("fashion.zip");

        Result r = CliRunnerAccess.run("classifier", "train", "--dataset", "fashion", "--data",
                TestData.mnistDir().toString(), "--epochs", "1", "--out", out.toString());

        assertOneLineUsageError(r, TestData.mnistDir().resolve("train-labels-idx1-ubyte.gz")
                + ": MNIST's labels, not Fashion-MNIST's: use --dataset mnist, or name a folder of Fashion-MNIST with "
                + "--data");
        assertThat(out).doesNotExist();
    }

    @Test
    void aRunWithoutItsGeneratorYetIsSaidToBeUnfinishedAndPointedAtItsNewestCheckpoint() throws Exception {
        Path run = copyOfFinishedRun();
        Files.delete(run.resolve("generator.zip"));
        Path newest = run.resolve("checkpoints/epoch-0004");

        for (String[] command : List.of(new String[] {"sample", "--out", tmp.resolve("s.png").toString()},
                new String[] {"eval", "--count", "100"},
                new String[] {"export", "--out", tmp.resolve("g.onnx").toString()})) {
            List<String> args = new ArrayList<>(List.of(command));
            args.addAll(List.of("--run", run.toString()));
            assertOneLineUsageError(CliRunnerAccess.run(args.toArray(String[]::new)), run + ": no generator.zip yet "
                    + "(a run writes it when it ends; this one is still training, or was stopped); --model " + newest
                    + " draws from its newest checkpoint");
        }
        Result fromCheckpoint = CliRunnerAccess.run("sample", "--model", newest.toString(), "--out",
                tmp.resolve("c.png").toString());
        assertThat(fromCheckpoint.exitCode()).as(fromCheckpoint.err()).isZero();

        deleteTree(run.resolve("checkpoints"));
        assertOneLineUsageError(CliRunnerAccess.run("sample", "--run", run.toString(), "--out",
                tmp.resolve("s.png").toString()), "still training, or was stopped), and no checkpoint yet");
    }

    @Test
    void anExperimentFolderGivenAsARunIsPointedAtItsRuns() throws Exception {
        Path experiment = Files.createDirectories(tmp.resolve("experiment"));
        Files.writeString(experiment.resolve("experiment.json"), "{}");
        Path run = copyOfFinishedRun("experiment/seed=1");

        assertOneLineUsageError(CliRunnerAccess.run("sample", "--run", experiment.toString(), "--out",
                tmp.resolve("s.png").toString()), experiment + ": an experiment folder, not a run; --run one of its "
                + "runs: " + run);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
