package dev.gan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gan.TestData;
import dev.gan.util.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** gan classifier train and gan eval end to end, with a quickly trained classifier and a tiny cGAN. */
class EvalCommandTest {

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    static Path classifier;
    /** A tiny cGAN trained on 500 test digits, and one trained on 500 training digits. */
    static Path run;
    static Path heldOutRun;

    @BeforeAll
    static void trainClassifierAndGenerator() {
        classifier = shared.resolve("classifier.zip");
        CliRunner.Result c = CliRunner.run("classifier", "train", "--data", TestData.mnistDir().toString(),
                "--limit", "2500", "--epochs", "1", "--out", classifier.toString());
        assertThat(c.exitCode()).as(c.err()).isZero();
        assertThat(c.out()).as("learnt from the train split, measured on the whole test split")
                .containsPattern("held-out accuracy 0\\.\\d{4} on 10000 images").contains("t10k-images");
        CliRunner.Result j = CliRunner.run("classifier", "train", "--data", TestData.mnistDir().toString(),
                "--split", "test", "--limit", "700", "--holdout", "200", "--epochs", "1", "--out",
                shared.resolve("c2.zip").toString(), "--json");
        assertThat(j.exitCode()).as(j.err()).isZero();
        assertThat(j.out().strip()).startsWith("{").contains("\"heldOut\":200", "\"heldOutAccuracy\":");

        run = shared.resolve("cgan");
        CliRunner.Result t = CliRunner.run("train", "--conditional", "--data", TestData.mnistDir().toString(),
                "--split", "test", "--limit", "500", "--batch-size", "50", "--hidden", "32", "--noise-dim", "16",
                "--epochs", "1", "--out", run.toString(), "--quiet");
        assertThat(t.exitCode()).as(t.err()).isZero();
        heldOutRun = shared.resolve("cgan-train");
        CliRunner.Result h = CliRunner.run("train", "--conditional", "--data", TestData.mnistDir().toString(),
                "--limit", "500", "--batch-size", "50", "--hidden", "32", "--noise-dim", "16",
                "--epochs", "1", "--out", heldOutRun.toString(), "--quiet");
        assertThat(h.exitCode()).as(h.err()).isZero();
    }

    @Test
    void fewerSamplesThanDigitsLeaveTheMissingDigitsAccuracyEmptyAndAreCountedInWords() throws Exception {
        Path out = tmp.resolve("few.json");

        CliRunner.Result r = CliRunner.run("eval", "--run", run.toString(), "--classifier", classifier.toString(),
                "--data", TestData.mnistDir().toString(), "--count", "1", "--out", out.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("(1 sample against ", "1 real training image against the same)")
                .contains("0:0.00 1:- 2:- ").doesNotContain("NaN");
        JsonNode perDigit = Json.MAPPER.readTree(out.toFile()).at("/report/labelAccuracyPerDigit");
        assertThat(perDigit).hasSize(10);
        assertThat(perDigit.get(0).isNumber()).isTrue();
        for (int digit = 1; digit < 10; digit++) {
            assertThat(perDigit.get(digit).isNull()).as("digit " + digit + ", which no sample was meant to be").isTrue();
        }
    }

    @Test
    void aGeneratorFileInsideARunIsJudgedAgainstThatRunsData() throws Exception {
        Path out = tmp.resolve("by-model.json");

        CliRunner.Result r = CliRunner.run("eval", "--model", run.resolve("generator.zip").toString(), "--classifier",
                classifier.toString(), "--count", "100", "--offline", "--out", out.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("judging against the run's own data, " + TestData.mnistDir().toAbsolutePath());
        assertThat(out).exists();
    }

    @Test
    void evaluatingARunWritesEvalJsonWithEveryMetric() throws Exception {
        CliRunner.Result r = CliRunner.run("eval", "--run", run.toString(), "--classifier", classifier.toString(),
                "--data", TestData.mnistDir().toString(), "--count", "500");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("classifier score", "frechet distance", "label accuracy", "modes covered",
                "near-blank share", "reference", "learnt from 2500 images");
        JsonNode eval = Json.MAPPER.readTree(run.resolve("eval.json").toFile());
        JsonNode report = eval.get("report");
        assertThat(report.get("count").asInt()).isEqualTo(500);
        assertThat(report.get("classifierScore").asDouble()).isBetween(1.0, 10.0);
        assertThat(report.get("frechetDistance").asDouble()).isPositive();
        assertThat(report.get("frechetFloor").asDouble()).isPositive();
        assertThat(report.get("labelAccuracyPerDigit")).hasSize(10);
        assertThat(report.get("frechetSamples").asInt()).isEqualTo(500);
        assertThat(report.get("precision").asDouble()).isBetween(0.0, 1.0);
        assertThat(report.get("recall").asDouble()).isBetween(0.0, 1.0);
        assertThat(report.get("memorisedShare").asDouble()).as("checked against the run's 500 training images")
                .isBetween(0.0, 1.0);
        assertThat(r.out()).contains("precision, recall", "memorised share");
        assertThat(eval.at("/classifier/learntFrom").asText()).contains("train-images");
        assertThat(eval.at("/classifier/heldOut").asInt()).isEqualTo(10_000);
    }

    @Test
    void onTwoThreadsTheMemorisationCheckRunsBesideTheJudgingAndTheReportIsTheSame() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.gan.system.Threads.available() >= 2, "needs two cores");
        JsonNode[] reports = new JsonNode[2];
        for (int threads = 1; threads <= 2; threads++) {
            Path out = tmp.resolve("threads-" + threads + ".json");
            CliRunner.Result r = CliRunner.run("eval", "--threads", String.valueOf(threads), "--run", run.toString(),
                    "--classifier", classifier.toString(), "--data", TestData.mnistDir().toString(), "--count", "1500",
                    "--out", out.toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonNode eval = Json.MAPPER.readTree(out.toFile());
            reports[threads - 1] = eval.get("report");
            assertThat(eval.at("/runtime/threads").asText()).as("what computed it").startsWith(threads + " (");
            assertThat(eval.at("/runtime/gan").asText()).isNotBlank();
            assertThat(java.time.OffsetDateTime.parse(eval.get("created").asText())).isNotNull();
        }

        assertThat(reports[1].get("memorisedShare").asDouble()).as("the first 1,000 samples against the 500 digits")
                .isEqualTo(reports[0].get("memorisedShare").asDouble()).isBetween(0.0, 1.0);
        for (String metric : List.of("classifierScore", "frechetDistance", "frechetFloor", "labelAccuracy",
                "precision", "recall", "meanConfidence", "blankFraction", "sampleSpread")) {
            assertThat(reports[1].get(metric).asDouble()).as(metric)
                    .isCloseTo(reports[0].get(metric).asDouble(), org.assertj.core.data.Offset.offset(1e-5));
        }
        assertThat(reports[1].get("classHistogram")).isEqualTo(reports[0].get("classHistogram"));
    }

    @Test
    void generatedDigitsAreJudgedAgainstTheWholeTestSplitWithTrainingDigitsAsTheFloor() throws Exception {
        CliRunner.Result r = CliRunner.run("eval", "--run", heldOutRun.toString(), "--classifier",
                classifier.toString(), "--data", TestData.mnistDir().toString(), "--count", "500", "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode eval = Json.MAPPER.readTree(heldOutRun.resolve("eval.json").toFile());
        assertThat(eval.at("/reference/split").asText()).isEqualTo("test");
        assertThat(eval.at("/reference/images").asText()).contains("t10k-images");
        assertThat(eval.at("/reference/count").asInt()).isEqualTo(10_000);
        assertThat(eval.at("/reference/floorImages").asText()).contains("train-images");
        assertThat(eval.at("/reference/floorCount").asInt()).isEqualTo(10_000);
        assertThat(eval.at("/report/frechetReference").asInt()).isEqualTo(10_000);
        assertThat(eval.get("overlaps")).as("trained on the train split: nothing judged on its own digits").isEmpty();
        assertThat(r.err()).doesNotContain("not held out");
    }

    @Test
    void aRunThatTrainedOnTheTestSplitIsStillJudgedWithOneLineSayingSo() throws Exception {
        CliRunner.Result r = CliRunner.run("eval", "--run", run.toString(), "--classifier", classifier.toString(),
                "--data", TestData.mnistDir().toString(), "--count", "300", "--out", tmp.resolve("e.json").toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.errLines()).filteredOn(line -> line.contains("not held out")).singleElement().asString()
                .contains("the run trained on", "t10k-images");
        assertThat(Json.MAPPER.readTree(tmp.resolve("e.json").toFile()).get("overlaps")).hasSize(1);
    }

    @Test
    void aDataFolderWithoutATrainSplitIsJudgedOnAlternateTestImagesAndSaysSo() throws Exception {
        Path testOnly = Files.createDirectories(tmp.resolve("test-only"));
        for (String name : new String[] {"t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
            Files.copy(TestData.mnistDir().resolve(name), testOnly.resolve(name));
        }

        CliRunner.Result r = CliRunner.run("eval", "--run", heldOutRun.toString(), "--classifier",
                classifier.toString(), "--data", testOnly.toString(), "--count", "500", "--out",
                tmp.resolve("e.json").toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode eval = Json.MAPPER.readTree(tmp.resolve("e.json").toFile());
        assertThat(eval.at("/reference/description").asText()).startsWith("alternate images of the test split")
                .contains("no train split in");
        assertThat(eval.at("/report/frechetReference").asInt()).isEqualTo(5000);
    }

    @Test
    void aCollapsedGeneratorIsJudgedWithOneLineSayingSo() throws Exception {
        Path collapsed = tmp.resolve("collapsed");
        CliRunner.Result t = CliRunner.run("train", "--conditional", "--data", TestData.mnistDir().toString(),
                "--limit", "500", "--batch-size", "50", "--hidden", "32", "--noise-dim", "16", "--epochs", "6",
                "--lr-d", "0.05", "--lr-g", "1e-6", "--out", collapsed.toString(), "--quiet");
        assertThat(t.exitCode()).as(t.err()).isZero();

        CliRunner.Result r = CliRunner.run("eval", "--run", collapsed.toString(), "--classifier", classifier.toString(),
                "--data", TestData.mnistDir().toString(), "--count", "300");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("gan eval: ", "nearly all alike", "collapsed generator");
        assertThat(Json.MAPPER.readTree(collapsed.resolve("eval.json").toFile()).get("collapse").asText())
                .contains("collapsed");
    }

    @Test
    void evaluatingIdxImagesWithTheirLabelsGivesLabelAccuracy() throws Exception {
        Path base = tmp.resolve("fake");
        assertThat(CliRunner.run("sample", "--run", run.toString(), "--count", "200", "--format", "idx", "--out",
                base.toString()).exitCode()).isZero();

        CliRunner.Result r = CliRunner.run("eval", "--images", tmp.resolve("fake-images-idx3-ubyte").toString(),
                "--labels", tmp.resolve("fake-labels-idx1-ubyte").toString(), "--classifier", classifier.toString(),
                "--data", TestData.mnistDir().toString(), "--out", tmp.resolve("e.json").toString(), "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode line = Json.MAPPER.readTree(r.out().strip());
        assertThat(line.at("/report/count").asInt()).isEqualTo(200);
        assertThat(line.at("/report/labelAccuracy").isNumber()).isTrue();
        assertThat(tmp.resolve("e.json")).exists();
    }

    @Test
    void trainingWithEvalEveryAddsQualityColumnsToMetrics() throws Exception {
        Path evalRun = tmp.resolve("evaluated");

        CliRunner.Result r = CliRunner.run("train", "--conditional", "--data", TestData.mnistDir().toString(),
                "--split", "test", "--limit", "500", "--batch-size", "50", "--hidden", "32", "--noise-dim", "16",
                "--epochs", "3", "--eval-every", "2", "--classifier", classifier.toString(), "--out",
                evalRun.toString(), "--quiet");

        assertThat(r.exitCode()).as(r.err()).isZero();
        java.util.List<String> rows = java.nio.file.Files.readAllLines(evalRun.resolve("metrics.csv"));
        assertThat(rows.get(0)).endsWith(",rss_mb,d_loss_sd,g_loss_sd,classifier_score,frechet_distance,label_accuracy"
                + ",sample_spread,collapse");
        String collapseCells = ",\\d\\.\\d{4},[012]";
        assertThat(rows.get(1)).matches(".*,,," + collapseCells);       // epoch 1: not evaluated
        assertThat(rows.get(2)).matches("2,.*,\\d+\\.\\d{4},\\d+\\.\\d{4},(0\\.\\d{4}|1\\.0000)" + collapseCells);
        assertThat(rows.get(3)).matches(".*,,," + collapseCells);
        assertThat(Json.MAPPER.readTree(evalRun.resolve("config.json").toFile()).at("/config/evalEvery").asInt()).isEqualTo(2);
    }

    @Test
    void labelsWithoutImagesAndAMissingClassifierAreUsageErrors() {
        CliRunner.Result labelsOnly = CliRunner.run("eval", "--run", run.toString(), "--labels", "x",
                "--classifier", classifier.toString());
        CliRunner.Result missing = CliRunner.run("eval", "--run", run.toString(), "--classifier",
                tmp.resolve("none.zip").toString(), "--data", TestData.mnistDir().toString());

        assertThat(labelsOnly.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(labelsOnly.err()).contains("--labels goes with --images");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.errLines()).hasSize(1);
        assertThat(missing.err()).contains("none.zip", "classifier file not found");
    }

    @Test
    void theTestDigitsToCompareWithAreDownloadedWhenMissingThoughTheClassifierIsThere() throws Exception {
        Path fakes = tmp.resolve("fakes");
        assertThat(CliRunner.run("sample", "--run", run.toString(), "--format", "idx", "--count", "100", "--out",
                fakes.toString()).exitCode()).isZero();
        Path data = tmp.resolve("new-data");
        CliRunner.Result r;
        List<String> served;
        try (LocalMirror mirror = new LocalMirror(TestData.mnistDir())) {
            r = CliRunner.run("eval", "--images", fakes + "-images-idx3-ubyte", "--labels", fakes + "-labels-idx1-ubyte",
                    "--classifier", classifier.toString(), "--data", data.toString(), "--mirror", mirror.url(),
                    "--out", tmp.resolve("e.json").toString());
            served = mirror.served();
        }

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(served).as("the test split only: the training split stays optional")
                .containsExactlyInAnyOrder("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");
        assertThat(data.resolve("t10k-images-idx3-ubyte.gz")).hasSameBinaryContentAs(
                TestData.mnistDir().resolve("t10k-images-idx3-ubyte.gz"));
        assertThat(Json.MAPPER.readTree(tmp.resolve("e.json").toFile()).at("/report/count").asInt()).isEqualTo(100);
    }

    @Test
    void aMissingRunModelOrImageFileIsRefusedBeforeAnyDataIsFetched() throws Exception {
        Path data = tmp.resolve("never-fetched");
        try (LocalMirror mirror = new LocalMirror(TestData.mnistDir())) {
            for (String[] source : List.of(new String[] {"--run", tmp.resolve("no-run").toString()},
                    new String[] {"--model", tmp.resolve("no.zip").toString()},
                    new String[] {"--images", tmp.resolve("no-images-idx3-ubyte").toString()})) {
                List<String> args = new java.util.ArrayList<>(List.of("eval"));
                args.addAll(List.of(source));
                args.addAll(List.of("--classifier", classifier.toString(), "--data", data.toString(), "--mirror",
                        mirror.url()));
                CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));

                assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.USAGE);
                assertThat(r.errLines()).hasSize(1);
                assertThat(r.err()).contains(source[1].contains("images") ? "file not found" : "model file not found");
            }
            assertThat(mirror.served()).as("nothing downloaded").isEmpty();
        }
        assertThat(data).doesNotExist();
    }

    /** A data folder as gan train leaves it after a download: the training split alone. */
    private Path trainingSplitOnly(String name) throws java.io.IOException {
        Path data = Files.createDirectories(tmp.resolve(name));
        for (String file : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")) {
            Files.copy(TestData.mnistDir().resolve(file), data.resolve(file));
        }
        return data;
    }

    @Test
    void trainingWithEvalEveryFetchesTheTestDigitsItJudgesAgainst() throws Exception {
        Path data = trainingSplitOnly("train-split-only");
        Path evalRun = tmp.resolve("evaluated");
        CliRunner.Result r;
        List<String> served;
        try (LocalMirror mirror = new LocalMirror(TestData.mnistDir())) {
            r = CliRunner.run("train", "--data", data.toString(), "--limit", "300", "--batch-size", "50", "--hidden",
                    "32", "--noise-dim", "16", "--epochs", "1", "--eval-every", "1", "--classifier",
                    classifier.toString(), "--mirror", mirror.url(), "--out", evalRun.toString(), "--quiet");
            served = mirror.served();
        }

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(served).containsExactlyInAnyOrder("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");
        assertThat(Files.readAllLines(evalRun.resolve("metrics.csv")).get(1)).matches("1,.*,\\d+\\.\\d{4},\\d+\\.\\d{4},.*");
    }

    @Test
    void aRunJudgedAgainstItsOwnDataFetchesTheTestDigitsGanTrainLeftOut() throws Exception {
        Path data = trainingSplitOnly("as-gan-train-left-it");
        Path plain = tmp.resolve("plain");
        CliRunner.Result t = CliRunner.run("train", "--data", data.toString(), "--limit", "300", "--batch-size", "50",
                "--hidden", "32", "--noise-dim", "16", "--epochs", "1", "--out", plain.toString(), "--quiet");
        assertThat(t.exitCode()).as(t.err()).isZero();
        CliRunner.Result offline = CliRunner.run("eval", "--run", plain.toString(), "--classifier", classifier.toString(),
                "--count", "200", "--offline");
        CliRunner.Result r;
        List<String> served;
        try (LocalMirror mirror = new LocalMirror(TestData.mnistDir())) {
            r = CliRunner.run("eval", "--run", plain.toString(), "--classifier", classifier.toString(), "--count", "200",
                    "--mirror", mirror.url());
            served = mirror.served();
        }

        assertThat(offline.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(offline.err()).contains(data + ": missing t10k-images-idx3-ubyte.gz");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("judging against the run's own data, " + data.toAbsolutePath());
        assertThat(served).containsExactlyInAnyOrder("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");
        assertThat(data.resolve("t10k-labels-idx1-ubyte.gz")).exists();
        assertThat(plain.resolve("eval.json")).exists();
    }

    @Test
    void aClassifierOfAnotherDataSetIsUsedAsAskedButSaidToSayLittle() throws Exception {
        Path declaredFashion = tmp.resolve("fashion");
        CliRunner.Result t = CliRunner.run("train", "--dataset", "fashion", "--data",
                TestData.ownCopy(tmp.resolve("own"), dev.gan.data.Split.TEST, 300).toString(),
                "--split", "test", "--limit", "300", "--batch-size", "50", "--hidden", "32", "--noise-dim", "16",
                "--epochs", "1", "--eval-every", "1", "--classifier", classifier.toString(), "--out",
                declaredFashion.toString(), "--quiet");
        assertThat(t.exitCode()).as(t.err()).isZero();
        assertThat(t.err()).contains("gan train: " + classifier + ": this classifier learnt from mnist images");

        CliRunner.Result other = CliRunner.run("eval", "--run", declaredFashion.toString(), "--classifier",
                classifier.toString(), "--count", "200");
        CliRunner.Result same = CliRunner.run("eval", "--run", run.toString(), "--classifier", classifier.toString(),
                "--count", "200", "--out", tmp.resolve("same.json").toString());

        assertThat(other.exitCode()).as(other.err()).isZero();
        assertThat(other.err()).contains(classifier + ": this classifier learnt from mnist images and is to judge "
                + "fashion ones: its figures say little (train one with gan classifier train --dataset fashion");
        assertThat(Json.MAPPER.readTree(declaredFashion.resolve("eval.json").toFile()).at("/classifier/dataset").asText())
                .isEqualTo("mnist");
        assertThat(same.exitCode()).as(same.err()).isZero();
        assertThat(same.err()).doesNotContain("say little");
    }

    @Test
    void fromNoDataAtAllTrainAndEvalFetchWhatEachNeedsFromAMirror() throws Exception {
        Path data = tmp.resolve("nothing-yet/mnist");
        Path fresh = tmp.resolve("fresh");
        CliRunner.Result t;
        CliRunner.Result e;
        List<String> served;
        // ../shared's training files are compressed again (other .gz bytes than the published): their content is
        // what is checked then.
        try (LocalMirror mirror = new LocalMirror(TestData.mnistDir())) {
            t = CliRunner.run("train", "--conditional", "--data", data.toString(), "--limit", "300", "--batch-size",
                    "50", "--hidden", "32", "--noise-dim", "16", "--epochs", "1", "--mirror", mirror.url(), "--out",
                    fresh.toString(), "--quiet");
            e = CliRunner.run("eval", "--run", fresh.toString(), "--classifier", classifier.toString(), "--count",
                    "200", "--mirror", mirror.url());
            served = mirror.served();
        }

        assertThat(t.exitCode()).as(t.err()).isZero();
        assertThat(e.exitCode()).as(e.err()).isZero();
        assertThat(served).containsExactly("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");
        assertThat(Json.MAPPER.readTree(fresh.resolve("eval.json").toFile()).at("/report/count").asInt()).isEqualTo(200);
    }
}
