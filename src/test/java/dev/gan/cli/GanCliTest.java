package dev.gan.cli;

import dev.gan.TestData;
import dev.gan.data.IdxFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class GanCliTest {

    @TempDir
    Path tmp;

    @Test
    void helpListsTheSubcommandsAndExamples() {
        CliRunner.Result r = CliRunner.run("--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("train", "bench", "info", "completion", "Examples:", "Exit codes");
    }

    @Test
    void versionNamesTheToolDl4jAndTheBackend() {
        CliRunner.Result r = CliRunner.run("--version");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("gan ", "Deeplearning4j 1.0.0-M2.1", "ND4J backend CPU");
    }

    @Test
    void infoShowsTheCpuBackendAndThreads() {
        CliRunner.Result r = CliRunner.run("info");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).containsPattern("backend +CPU").contains("omp threads", "max heap", "max off-heap");
    }

    @Test
    void trainHelpListsTheTrainingOptions() {
        CliRunner.Result r = CliRunner.run("train", "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--conditional", "--epochs", "--batch-size", "--hidden", "--noise-dim",
                "--lr-d", "--lr-g", "--beta1", "--seed", "--loss", "--resume", "--out", "--data", "--split",
                "--dataset", "--limit", "--offline", "--mirror", "--sample-every", "--checkpoint-every");
    }

    @Test
    void benchTimesBothEnginesSideBySide() throws Exception {
        CliRunner.Result r = CliRunner.run("bench", "--model", "plain", "--hidden", "16", "--engine", "both",
                "--warmup", "1", "--iterations", "2", "--repeats", "1", "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> rows = r.out().strip().lines().toList();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).contains("\"engine\":\"direct\"");
        assertThat(rows.get(1)).contains("\"engine\":\"graph\"");
        for (String row : rows) {
            assertThat(dev.gan.util.Json.MAPPER.readTree(row).get("median_ms_per_iteration").asDouble()).isPositive();
        }
    }

    @Test
    void completionTakesBashOrZshAndNamesTheChoicesOtherwise() {
        CliRunner.Result zsh = CliRunner.run("completion", "zsh");
        CliRunner.Result fish = CliRunner.run("completion", "fish");

        assertThat(zsh.exitCode()).isZero();
        assertThat(zsh.out()).isEqualTo(CliRunner.run("completion").out()).contains("bashcompinit");
        assertThat(fish.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(fish.errLines()).hasSize(1);
        assertThat(fish.err()).contains("SHELL", "bash, zsh", "fish");
    }

    @Test
    void completionPrintsABashScript() {
        CliRunner.Result r = CliRunner.run("completion");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("complete -F", "gan", "train");
    }

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of(new String[] {"train", "--epochs", "0"}, "Invalid value for option '--epochs': must be positive"),
                Arguments.of(new String[] {"train", "--epochs", "x"}, "'--epochs'"),
                Arguments.of(new String[] {"train", "--epoch", "5"}, "gan train: Unknown option: '--epoch' (did you mean --epochs?)"),
                Arguments.of(new String[] {"trian"}, "gan: 'trian' is not a gan command (did you mean train"),
                Arguments.of(new String[] {"xyz"}, "gan: 'xyz' is not a gan command (gan --help lists them)"),
                Arguments.of(new String[] {"help", "trian"}, "gan: 'trian' is not a gan command (did you mean train?)"),
                Arguments.of(new String[] {"help", "xyz"}, "gan: 'xyz' is not a gan command (gan --help lists them)"),
                Arguments.of(new String[] {"classifier", "train", "--epochs", "-3"},
                        "Invalid value for option '--epochs': must be positive, got -3"),
                Arguments.of(new String[] {"train", "--batch-size", "-5"}, "Invalid value for option '--batch-size': must be positive"),
                Arguments.of(new String[] {"train", "--lr-d", "0"}, "Invalid value for option '--lr-d': must be positive and finite, got 0.0"),
                Arguments.of(new String[] {"train", "--lr-g", "-1e-3"}, "Invalid value for option '--lr-g': must be positive and finite, got -0.001"),
                Arguments.of(new String[] {"train", "--beta2", "1"}, "Invalid value for option '--beta2': must be in [0, 1), got 1.0"),
                Arguments.of(new String[] {"train", "--beta1", "1.5"}, "beta1"),
                Arguments.of(new String[] {"train", "--dataset", "cifar"}, "unknown dataset 'cifar'"),
                Arguments.of(new String[] {"train", "--split", "validation"}, "'--split'"),
                Arguments.of(new String[] {"train", "--limit", "0"}, "'--limit'"),
                Arguments.of(new String[] {"train", "--loss", "wasserstein"}, "'--loss'"),
                Arguments.of(new String[] {"train", "--loss", "hinge", "--label-smoothing", "0.1"},
                        "label-smoothing softens D's targets, which --loss hinge does not have"),
                Arguments.of(new String[] {"train", "--engine", "direct", "--dropout-d", "0.3"},
                        "--engine direct does not train --dropout-d with --arch mlp (--engine graph does)"),
                Arguments.of(new String[] {"train", "--arch", "dcgan", "--noise", "categorical", "--info-weight", "1",
                        "--engine", "graph"}, "--engine graph does not train --info-weight (--engine direct does)"),
                Arguments.of(new String[] {"train", "--frobnicate"}, "Unknown option: '--frobnicate'"),
                Arguments.of(new String[] {"bench", "--repeats", "0"}, "Invalid value for option '--repeats': 0 (must be positive)"),
                Arguments.of(new String[] {"bench", "--batch-size", "-3"}, "'--batch-size': -3 (must be positive)"),
                Arguments.of(new String[] {"train", "--engine", "turbo"}, "'--engine'"),
                Arguments.of(new String[] {"bench", "--engine", "turbo"}, "'--engine'"),
                Arguments.of(new String[] {"train", "--arch", "resnet"}, "'--arch'"),
                Arguments.of(new String[] {"train", "--threads", "0"}, "Invalid value for option '--threads'"),
                Arguments.of(new String[] {"sample", "--threads", "100000"},
                        "Invalid value for option '--threads': 100000 is more than the"),
                Arguments.of(new String[] {"eval", "--threads", "two"}, "'--threads'"),
                Arguments.of(new String[] {"train", "--info-weight", "1"}, "info-weight needs --noise categorical"),
                Arguments.of(new String[] {"train", "--backend", "cuda"}, "cuda is not in this build"),
                Arguments.of(new String[] {"info", "--backend", "cuda"}, "./mvnw -Pcuda package"),
                Arguments.of(new String[] {"bench", "--backend", "tpu"}, "'--backend'"),
                Arguments.of(new String[] {"train", "--out", ""},
                        "Invalid value for option '--out': an empty path; name a file or folder"),
                Arguments.of(new String[] {"sample", "--out", ""}, "'--out': an empty path"),
                Arguments.of(new String[] {"eval", "--data", " "}, "'--data': an empty path"),
                Arguments.of(new String[] {"nonsense"}, "gan: 'nonsense' is not a gan command (gan --help lists them)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOptions")
    void aBadOptionGivesExitTwoAndOneLine(String[] args, String expected) {
        CliRunner.Result r = CliRunner.run(args);

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains(expected);
    }

    /** Each broken data directory, and the text its one error line must contain. */
    static Stream<Arguments> corruptData() throws IOException {
        byte[] images = IdxFixtures.images(4, 28, 28);
        byte[] labels = IdxFixtures.labels(1, 2, 3, 4);
        byte[] packed = IdxFixtures.gzip(images);
        return Stream.of(
                Arguments.of("empty images file", new byte[0], labels, "t10k-images-idx3-ubyte", "file is empty"),
                Arguments.of("wrong magic", IdxFixtures.concat(IdxFixtures.header(0x0BADBEEF, 4, 28, 28), new byte[4 * 784]),
                        labels, "t10k-images-idx3-ubyte", "not an IDX file"),
                Arguments.of("labels as images", labels, labels, "t10k-images-idx3-ubyte", "expected an images file"),
                Arguments.of("images as labels", images, images, "t10k-labels-idx1-ubyte", "expected a labels file"),
                Arguments.of("truncated gzip", Arrays.copyOf(packed, packed.length / 2), labels,
                        "t10k-images-idx3-ubyte", "truncated"),
                Arguments.of("2^31-1 images claimed", IdxFixtures.header(0x00000803, Integer.MAX_VALUE, 28, 28), labels,
                        "t10k-images-idx3-ubyte", "more than this reader supports"),
                Arguments.of("count mismatch", images, IdxFixtures.labels(1, 2, 3), "t10k-labels-idx1-ubyte",
                        "has 3 labels but"),
                Arguments.of("label out of range", images, IdxFixtures.labels(1, 2, 3, 12), "t10k-labels-idx1-ubyte",
                        "out of range"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptData")
    void corruptDataGivesExitTwoAndOneLineNamingTheFile(String name, byte[] images, byte[] labels, String file,
                                                        String expected) throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.write(data.resolve("t10k-images-idx3-ubyte"), images);
        Files.write(data.resolve("t10k-labels-idx1-ubyte"), labels);

        CliRunner.Result r = CliRunner.run("train", "--data", data.toString(), "--split", "test", "--offline",
                "--out", tmp.resolve("run").toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains(file, expected).doesNotContain("Exception", "\tat ");
    }

    @Test
    void offlineWithMissingFilesSaysWhichAndWhere() {
        CliRunner.Result r = CliRunner.run("train", "--data", tmp.toString(), "--offline", "--out",
                tmp.resolve("run").toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains(tmp.toString(), "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz");
    }

    @Test
    void aFailedDownloadIsARuntimeFailureWithExitOne() throws IOException {
        java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        int port = closed.getLocalPort();
        closed.close(); // nothing listens there now: connections are refused at once

        CliRunner.Result r = CliRunner.run("train", "--data", tmp.resolve("empty").toString(), "--split", "test",
                "--mirror", "http://127.0.0.1:" + port + "/", "--out", tmp.resolve("run").toString(), "--quiet");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.errLines()).hasSize(2);
        assertThat(r.errLines()[0]).contains("could not be downloaded", "127.0.0.1:" + port).doesNotContain("internal error");
        assertThat(r.errLines()[1]).contains("--data DIR", "--split test", "dataset-fashion-mnist");
        assertThat(tmp.resolve("empty")).doesNotExist(); // the folder made for the download went again
    }

    @Test
    void aMirrorThatIsNoWebAddressIsABadOption() {
        CliRunner.Result r = CliRunner.run("train", "--data", tmp.resolve("empty").toString(), "--mirror", "mirror.lan",
                "--out", tmp.resolve("run").toString(), "--quiet");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("--mirror", "'mirror.lan' is not an http or https URL");
        assertThat(tmp.resolve("empty")).doesNotExist();
        assertThat(tmp.resolve("run")).doesNotExist();
    }

    @Test
    void verboseAddsTheStackTrace() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.write(data.resolve("t10k-images-idx3-ubyte"), new byte[0]);
        Files.write(data.resolve("t10k-labels-idx1-ubyte"), IdxFixtures.labels(1));

        CliRunner.Result r = CliRunner.run("train", "--verbose", "--data", data.toString(), "--split", "test",
                "--offline", "--out", tmp.resolve("run").toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("file is empty", "DataException", "\tat ");
    }

    @Test
    void theBackendThisBuildHasIsAccepted() {
        CliRunner.Result r = CliRunner.run("info", "--backend", "cpu");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("backend", "CPU");
    }

    @Test
    void dcganRefusesImagesItCannotUpsampleTo() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.write(data.resolve("t10k-images-idx3-ubyte"), IdxFixtures.images(4, 6, 6));
        Files.write(data.resolve("t10k-labels-idx1-ubyte"), IdxFixtures.labels(1, 2, 3, 4));

        CliRunner.Result r = CliRunner.run("train", "--arch", "dcgan", "--data", data.toString(), "--split", "test",
                "--offline", "--batch-size", "2", "--out", tmp.resolve("run").toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("--arch dcgan", "divisible by 4", "6x6");
    }

    @Test
    void aBatchLargerThanTheDataIsRefused() {
        CliRunner.Result r = CliRunner.run("train", "--data", TestData.mnistDir().toString(), "--split", "test",
                "--limit", "50", "--batch-size", "100", "--out", tmp.resolve("run").toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("'--batch-size'", "larger than the data set (50 images)");
        CliRunner.Result one = CliRunner.run("train", "--data", TestData.mnistDir().toString(), "--split", "test",
                "--limit", "1", "--out", tmp.resolve("one").toString());
        assertThat(one.err()).contains("larger than the data set (1 image)");
    }

    @Test
    void refusesANonEmptyRunDirectory() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(run.resolve("keep.txt"), "mine");

        CliRunner.Result r = CliRunner.run("train", "--data", TestData.mnistDir().toString(), "--split", "test",
                "--out", run.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("not empty", "not a gan run directory", "keep.txt");
        assertThat(run.resolve("keep.txt")).hasContent("mine");
    }

    @Test
    void resumeTakesItsSettingsFromTheRunDirectory() {
        CliRunner.Result r = CliRunner.run("train", "--resume", tmp.toString(), "--lr-d", "0.1");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("'--lr-d' cannot be combined with --resume");
    }

    @Test
    void resumeOfADirectoryWithoutARunSaysSo() {
        CliRunner.Result r = CliRunner.run("train", "--resume", tmp.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("config.json", "not found");
    }

    @Test
    void recipeListPrintsEveryVersionWithWhatItSetsAndNamesTheNewest() {
        CliRunner.Result r = CliRunner.run("train", "--recipe", "list");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("reference:", "improved-1:", "improved-12:", "improved-13 (= improved):",
                "mlp   plain       --beta1 0.5", "--hidden 1024", "dcgan conditional");
        assertThat(r.out().lines().filter(l -> l.startsWith("improved-")).count()).isEqualTo(13);
    }

    @Test
    void countsThatCannotTrainAreRefusedBeforeAnythingIsAnnounced() {
        String data = TestData.mnistDir().toString();
        Path out = tmp.resolve("c.zip");

        CliRunner.Result tooFew = CliRunner.run("classifier", "train", "--data", data, "--split", "test", "--limit",
                "50", "--epochs", "1", "--out", out.toString(), "--holdout", "10");
        CliRunner.Result allHeldOut = CliRunner.run("classifier", "train", "--data", data, "--split", "test",
                "--limit", "1000", "--holdout", "1000", "--epochs", "1", "--out", out.toString());

        assertThat(tooFew.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(tooFew.err()).contains("Invalid value for option '--holdout'", "of the 50 images");
        assertThat(allHeldOut.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(allHeldOut.err()).contains("held-out count 1000 must leave at least 64 of the 1000 images");
        assertThat(tooFew.out() + allHeldOut.out()).doesNotContain("training the digit classifier");
        assertThat(out).doesNotExist();
    }
}
