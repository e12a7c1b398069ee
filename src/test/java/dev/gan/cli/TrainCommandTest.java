package dev.gan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gan.TestData;
import dev.gan.model.GeneratorFile;
import dev.gan.run.MetricsTable;
import dev.gan.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Short real training runs through the command line, on the real MNIST test set. */
class TrainCommandTest {

    @TempDir
    Path tmp;

    /** A small, fast run: 500 images, batch 50, narrow networks. */
    private static String[] smallRun(Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--data", TestData.mnistDir().toString(),
                "--split", "test", "--limit", "500", "--batch-size", "50", "--hidden", "32", "--noise-dim", "16",
                "--checkpoint-every", "2", "--sample-every", "2", "--out", out.toString(), "--quiet"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void aRunLeavesConfigMetricsSamplesCheckpointsAndGenerator() throws Exception {
        Path run = tmp.resolve("run");

        CliRunner.Result r = CliRunner.run(smallRun(run, "--epochs", "3", "--conditional", "--json"));

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode summary = Json.MAPPER.readTree(r.out().strip());
        assertThat(summary.get("epochs").asInt()).isEqualTo(3);
        assertThat(summary.get("iterations").asInt()).isEqualTo(30);

        JsonNode config = Json.MAPPER.readTree(run.resolve("config.json").toFile());
        assertThat(config.at("/config/conditional").asBoolean()).isTrue();
        assertThat(config.at("/config/lrD").asDouble()).isEqualTo(1e-3);
        assertThat(config.at("/config/noise").asText()).isEqualTo("UNIFORM");
        assertThat(config.at("/data/imagesSha256").asText())
                .isEqualTo("8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6");
        assertThat(config.at("/runtime/dl4j").asText()).isEqualTo("1.0.0-M2.1");
        assertThat(config.at("/runtime/backend").asText()).isEqualTo("CPU");

        List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
        assertThat(metrics).hasSize(4);
        assertThat(metrics.get(0)).startsWith("epoch,iterations,d_loss,g_loss,d_real,d_fake,seconds,images_per_s");
        assertThat(metrics.get(3)).startsWith("3,30,");

        assertThat(run.resolve("samples/epoch-001.png")).isNotEmptyFile();
        assertThat(run.resolve("samples/epoch-002.png")).isNotEmptyFile();
        assertThat(run.resolve("samples/epoch-003.png")).isNotEmptyFile();
        assertThat(run.resolve("checkpoints/epoch-0002/state.json")).isNotEmptyFile();
        assertThat(run.resolve("checkpoints/epoch-0003/discriminator.zip")).isNotEmptyFile();
        assertThat(Files.readString(run.resolve("train.log"))).contains("epoch 3/3");
        assertThat(leftoverTemporaryFiles(run)).isEmpty();

        GeneratorFile.Loaded generator = GeneratorFile.load(run.resolve("generator.zip"), false);
        assertThat(generator.spec().conditional()).isTrue();
        assertThat(generator.spec().noiseDim()).isEqualTo(16);
        assertThat(generator.spec().imageSize()).isEqualTo(784);
    }

    @Test
    void withEmaTheRunAndItsCheckpointsSampleFromTheAverage() throws Exception {
        Path run = tmp.resolve("ema");

        assertThat(CliRunner.run(smallRun(run, "--epochs", "2", "--ema", "0.9")).exitCode()).isZero();

        Path checkpoint = run.resolve("checkpoints/epoch-0002");
        Path located = GeneratorFile.locate(null, checkpoint);
        assertThat(located.getFileName().toString()).isEqualTo("generator-average.zip");
        INDArray average = GeneratorFile.load(located, false).generator().params();
        INDArray training = GeneratorFile.load(checkpoint.resolve("generator.zip"), false).generator().params();
        assertThat(GeneratorFile.load(run.resolve("generator.zip"), false).generator().params()).isEqualTo(average);
        assertThat(average).isNotEqualTo(training);
    }

    @Test
    void aDcganRunRecordsItsArchitectureAndItsGeneratorSamples() throws Exception {
        Path run = tmp.resolve("dcgan");

        CliRunner.Result r = CliRunner.run(smallRun(run, "--epochs", "1", "--conditional", "--arch", "dcgan"));

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode config = Json.MAPPER.readTree(run.resolve("config.json").toFile());
        assertThat(config.at("/config/arch").asText()).isEqualTo("DCGAN");
        assertThat(config.at("/config/beta1").asDouble()).isEqualTo(0.5); // the DCGAN's own default
        assertThat(config.at("/config/lrD").asDouble()).isEqualTo(2e-4);
        assertThat(config.at("/config/hidden").asInt()).isEqualTo(32); // given explicitly, so it wins
        GeneratorFile.Loaded generator = GeneratorFile.load(run.resolve("generator.zip"), false);
        assertThat(generator.spec().arch()).isEqualTo(dev.gan.model.Architecture.DCGAN);

        CliRunner.Result sampled = CliRunner.run("sample", "--run", run.toString(), "--digit", "3", "--count", "5",
                "--format", "idx", "--out", tmp.resolve("threes").toString());

        assertThat(sampled.exitCode()).as(sampled.err()).isZero();
        var images = dev.gan.data.IdxReader.readImages(tmp.resolve("threes-images-idx3-ubyte"));
        assertThat(images.count()).isEqualTo(5);
        assertThat(images.dims()).containsExactly(28, 28);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    // dropout draws masks; the DCGAN adds batch-norm statistics and convolutions
    // --ema keeps a moving average of G in every checkpoint, and generator.zip holds that average
    // --pack gives D a wider input that the checkpoint must restore
    // --engine=graph computes the MLP through DL4J's graph methods instead of the direct step
    // the DCGAN's direct step draws its own dropout masks from the per-iteration seed
    // InfoGAN's code head is part of D: its weights and Adam state must come back with it
    // spectral norm's power-iteration vectors live outside the networks, in the checkpoint's state.json
    @org.junit.jupiter.params.provider.ValueSource(strings = {"--recipe=reference", "--dropout-d=0.3", "--arch=dcgan",
            "--ema=0.9", "--pack=2", "--engine=graph", "--arch=dcgan --dropout-d=0.3", "--arch=dcgan --engine=graph",
            "--arch=dcgan --noise=categorical --info-weight=1",
            "--arch=dcgan --loss=hinge --spectral-norm --augment=translation,cutout"})
    void aResumedRunEndsWithTheSameWeightsAsAnUninterruptedOne(String options) throws Exception {
        Path whole = tmp.resolve("whole");
        List<String> args = new java.util.ArrayList<>(List.of("--epochs", "4", "--seed", "5"));
        args.addAll(List.of(options.split(" ")));
        assertThat(CliRunner.run(smallRun(whole, args.toArray(String[]::new))).exitCode()).isZero();

        // Simulate a run killed during epoch 4: only the epoch-2 checkpoint and three metric rows survive.
        Path killed = tmp.resolve("killed");
        copyTree(whole, killed);
        deleteTree(killed.resolve("checkpoints/epoch-0004"));
        Files.delete(killed.resolve("generator.zip"));
        List<String> rows = Files.readAllLines(killed.resolve("metrics.csv"));
        Files.write(killed.resolve("metrics.csv"), rows.subList(0, 4));

        CliRunner.Result r = CliRunner.run("train", "--resume", killed.toString(), "--quiet");

        assertThat(r.exitCode()).as(r.err()).isZero();
        INDArray expected = GeneratorFile.load(whole.resolve("generator.zip"), false).generator().params();
        INDArray actual = GeneratorFile.load(killed.resolve("generator.zip"), false).generator().params();
        assertThat(actual).isEqualTo(expected);
        assertThat(lossColumns(killed)).isEqualTo(lossColumns(whole));
    }

    @Test
    void aRunRecordedInConfigJsonsFirstShapeResumesAsItWouldHaveRun() throws Exception {
        Path whole = tmp.resolve("whole");
        // The first config.json (2026-11-25) predates --engine: such runs trained through the graphs.
        assertThat(CliRunner.run(smallRun(whole, "--epochs", "4", "--seed", "5", "--engine", "graph")).exitCode())
                .isZero();
        Path killed = tmp.resolve("killed");
        copyTree(whole, killed);
        deleteTree(killed.resolve("checkpoints/epoch-0004"));
        Files.delete(killed.resolve("generator.zip"));
        Files.write(killed.resolve("metrics.csv"), Files.readAllLines(killed.resolve("metrics.csv")).subList(0, 4));
        List<String> later = List.of("evalEvery", "recipe", "leakyRelu", "dropoutD", "labelSmoothing", "dSteps", "arch",
                "ema", "pack", "labelScale", "engine");
        for (Path file : List.of(killed.resolve("config.json"), killed.resolve("checkpoints/epoch-0002/state.json"))) {
            ObjectNode record = (ObjectNode) Json.MAPPER.readTree(file.toFile());
            later.forEach(((ObjectNode) record.get("config"))::remove);
            record.remove("recipe");
            Files.writeString(file, Json.MAPPER.writeValueAsString(record));
        }

        CliRunner.Result r = CliRunner.run("train", "--resume", killed.toString(), "--quiet");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(GeneratorFile.load(killed.resolve("generator.zip"), false).generator().params())
                .isEqualTo(GeneratorFile.load(whole.resolve("generator.zip"), false).generator().params());
        assertThat(lossColumns(killed)).isEqualTo(lossColumns(whole));
    }

    @Test
    void configJsonRecordsTheEngineDirectUnlessGraphIsAsked() throws Exception {
        Path direct = tmp.resolve("direct");
        Path graph = tmp.resolve("graph");
        assertThat(CliRunner.run(smallRun(direct, "--epochs", "1")).exitCode()).isZero();
        assertThat(CliRunner.run(smallRun(graph, "--epochs", "1", "--engine", "graph")).exitCode()).isZero();

        assertThat(Json.MAPPER.readTree(direct.resolve("config.json").toFile()).at("/config/engine").asText())
                .isEqualTo("DIRECT");
        assertThat(Json.MAPPER.readTree(graph.resolve("config.json").toFile()).at("/config/engine").asText())
                .isEqualTo("GRAPH");
    }

    @Test
    void theImprovedRecipeExpandsIntoConfigJsonAndExplicitOptionsWin() throws Exception {
        Path run = tmp.resolve("improved");

        CliRunner.Result r = CliRunner.run(smallRun(run, "--epochs", "1", "--recipe", "improved", "--dropout-d", "0.5",
                "--leaky-relu", "0.2", "--label-smoothing", "0.1", "--pack", "5"));

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode record = Json.MAPPER.readTree(run.resolve("config.json").toFile());
        JsonNode config = record.get("config");
        assertThat(config.get("recipe").asText()).isEqualTo("improved-13");
        assertThat(record.at("/recipe/name").asText()).isEqualTo("improved-13");
        assertThat(record.at("/recipe/sets/noise-dim").asInt()).as("what the recipe itself sets").isEqualTo(32);
        assertThat(config.get("beta1").asDouble()).isEqualTo(0.5);
        assertThat(config.get("ema").asDouble()).isEqualTo(0.999);
        assertThat(config.get("lrD").asDouble()).isEqualTo(2e-3); // the plain MLP's fast Adam
        assertThat(config.get("lrG").asDouble()).isEqualTo(2e-3);
        assertThat(config.get("beta2").asDouble()).isEqualTo(0.99);
        assertThat(config.get("weightInit").asText()).isEqualTo("XAVIER");
        assertThat(config.get("noise").asText()).isEqualTo("UNIFORM");
        assertThat(config.get("hidden").asInt()).isEqualTo(32); // given, so not the recipe's 1024
        assertThat(run.resolve("checkpoints/epoch-0001/generator-average.zip")).isNotEmptyFile();
        assertThat(config.get("leakyRelu").asDouble()).isEqualTo(0.2);
        assertThat(config.get("labelSmoothing").asDouble()).isEqualTo(0.1);
        assertThat(config.get("dropoutD").asDouble()).isEqualTo(0.5);
        assertThat(config.get("pack").asInt()).isEqualTo(5);
        CliRunner.Result badPack = CliRunner.run(smallRun(tmp.resolve("p"), "--pack", "3"));
        assertThat(badPack.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badPack.err()).contains("Invalid value for option '--pack': must divide the batch size 50, got 3");
        CliRunner.Result bad = CliRunner.run(smallRun(tmp.resolve("x"), "--recipe", "magic"));
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("unknown recipe 'magic'");
    }

    @Test
    void spectralNormAndAugmentationAreRecordedAndBadOrMisplacedValuesAreOneLineWithExitTwo() throws Exception {
        Path run = tmp.resolve("sn");
        assertThat(CliRunner.run(smallRun(run, "--epochs", "1", "--arch", "dcgan", "--spectral-norm",
                "--augment", "cutout,translation")).exitCode()).isZero();
        JsonNode config = Json.MAPPER.readTree(run.resolve("config.json").toFile()).get("config");
        assertThat(config.get("spectralNorm").asBoolean()).isTrue();
        assertThat(config.get("augment").asText()).isEqualTo("translation,cutout");

        CliRunner.Result badPolicy = CliRunner.run(smallRun(tmp.resolve("a"), "--arch", "dcgan", "--augment", "flip"));
        assertThat(badPolicy.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badPolicy.errLines()).hasSize(1);
        assertThat(badPolicy.err()).contains("gan train: Invalid value for option '--augment': takes translation, "
                + "cutout (comma-separated) or none, got 'flip'");
        CliRunner.Result mlp = CliRunner.run(smallRun(tmp.resolve("m"), "--spectral-norm"));
        assertThat(mlp.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(mlp.err()).contains("--spectral-norm with --arch mlp: no engine trains it");
        assertThat(tmp.resolve("a")).doesNotExist();
        assertThat(tmp.resolve("m")).doesNotExist();
    }

    @Test
    void aLimitAboveTheDataTrainsOnAllOfItAndSaysSo() throws Exception {
        Path run = tmp.resolve("all");

        CliRunner.Result r = CliRunner.run("train", "--data", TestData.mnistDir().toString(), "--split", "test",
                "--limit", "20000", "--batch-size", "100", "--hidden", "16", "--noise-dim", "8", "--epochs", "1",
                "--out", run.toString(), "--quiet");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err().strip()).isEqualTo("gan train: --limit 20000 is more than the 10,000 images of "
                + "t10k-images-idx3-ubyte.gz: training on all of them");
        assertThat(lossColumns(run)).hasSize(1);
        assertThat(Json.MAPPER.readTree(run.resolve("config.json").toFile()).path("data").path("count").asInt())
                .isEqualTo(10_000);
    }

    @Test
    void aFolderOfAnotherDataSetThanTheOneNamedIsRefusedAndLeavesNoRunFolder() throws Exception {
        Path run = tmp.resolve("misnamed");

        CliRunner.Result r = CliRunner.run("train", "--dataset", "fashion", "--data", TestData.mnistDir().toString(),
                "--limit", "100", "--epochs", "1", "--out", run.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).containsExactly("gan train: " + TestData.mnistDir().resolve("train-labels-idx1-ubyte.gz")
                + ": MNIST's labels, not Fashion-MNIST's: use --dataset mnist, or name a folder of Fashion-MNIST "
                + "with --data");
        assertThat(run).doesNotExist();
    }

    @Test
    void aClassifierForEvalEveryThatCannotBeReadLeavesNoRunFolder() throws Exception {
        Path run = tmp.resolve("judged");
        Path notAClassifier = java.nio.file.Files.writeString(tmp.resolve("notes.zip"), "my notes");

        CliRunner.Result r = CliRunner.run(smallRun(run, "--epochs", "1", "--eval-every", "1",
                "--classifier", notAClassifier.toString()));

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains(notAClassifier + ": not a gan classifier file");
        assertThat(run).doesNotExist();
        assertThat(notAClassifier).hasContent("my notes");
    }

    @Test
    void aDivergingRunStopsWithExitOneNamingEpochAndIteration() {
        Path run = tmp.resolve("absurd");

        CliRunner.Result r = CliRunner.run(smallRun(run, "--epochs", "3", "--lr-d", "1e30", "--lr-g", "1e30"));

        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).containsPattern("training diverged at epoch 1, iteration \\d+: d_loss=\\S+, g_loss=")
                .contains("no checkpoint had been written yet").doesNotContain("internal error");
        assertThat(run.resolve("generator.zip")).doesNotExist();
    }

    @Test
    void aRunWhoseDiscriminatorWinsOutrightSaysSoOnceAndSampleAndReportRepeatIt() throws Exception {
        Path run = tmp.resolve("collapsed");

        CliRunner.Result r = CliRunner.run(smallRun(run, "--conditional", "--recipe", "reference", "--epochs", "6",
                "--lr-d", "0.05", "--lr-g", "1e-6"));

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("the discriminator wins outright", "by epoch", "--seed");
        List<String> rows = Files.readAllLines(run.resolve("metrics.csv"));
        assertThat(rows.get(0)).endsWith(",sample_spread,collapse");
        assertThat(rows.get(rows.size() - 1)).endsWith(",1");
        assertThat(Files.readString(run.resolve("report.html"))).contains("Collapsed:", "wins outright");

        CliRunner.Result sample = CliRunner.run("sample", "--run", run.toString(), "--out",
                tmp.resolve("s.png").toString());
        assertThat(sample.exitCode()).as(sample.err()).isZero();
        assertThat(sample.err()).contains("gan sample: this model collapsed in training");
    }

    @Test
    void aHealthyRunSaysNothingOfACollapse() throws Exception {
        Path run = tmp.resolve("healthy");

        CliRunner.Result r = CliRunner.run(smallRun(run, "--conditional", "--epochs", "2"));

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        List<String> rows = Files.readAllLines(run.resolve("metrics.csv"));
        assertThat(rows.subList(1, rows.size())).allMatch(row -> row.endsWith(",0"));
    }

    @Test
    void theConditionalGanLearnsDigitShapedImagesOnRealData() throws Exception {
        Path run = tmp.resolve("cgan");
        CliRunner.Result r = CliRunner.run("train", "--conditional", "--data", TestData.mnistDir().toString(),
                "--split", "test", "--limit", "2000", "--epochs", "5", "--out", run.toString(), "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();

        MetricsTable metrics = MetricsTable.read(run.resolve("metrics.csv"));
        for (double[] row : metrics.rows()) {
            assertThat(metrics.value(row, MetricsTable.D_LOSS)).as("d_loss").isBetween(1e-4, 3.0);
            assertThat(metrics.value(row, MetricsTable.G_LOSS)).as("g_loss").isBetween(0.1, 20.0);
        }

        GeneratorFile.Loaded g = GeneratorFile.load(run.resolve("generator.zip"), false);
        INDArray noise = new dev.gan.train.NoiseSampler(g.spec().noise(), 1)
                .fill(org.nd4j.linalg.factory.Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 100, 128));
        INDArray labels = org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 100, 10);
        for (int i = 0; i < 100; i++) {
            labels.putScalar(i, i % 10, 1.0);
        }
        INDArray images = g.generator().output(false, noise, labels)[0];
        ImageStats fake = ImageStats.of(images);
        ImageStats real = ImageStats.of(dev.gan.data.ImageDataset.load(TestData.mnistDir(), dev.gan.data.Split.TEST, 100));

        // Not blank: real digits light about 19% of pixels; not noise: ink concentrates where digits have it.
        assertThat(fake.inkFraction()).as("fraction of pixels > 0.5").isBetween(0.03, 0.5);
        assertThat(fake.borderInk()).as("ink in the 3-pixel border").isLessThan(0.05);
        assertThat(fake.correlationWith(real)).as("mean-image correlation with real digits").isGreaterThan(0.5);
    }

    /** Pixel statistics that tell digits from blank frames and from noise. */
    record ImageStats(double inkFraction, double borderInk, double[] meanImage) {

        static ImageStats of(INDArray images) {
            return of(images.data().asFloat(), (int) images.rows());
        }

        static ImageStats of(dev.gan.data.ImageDataset data) {
            return of(data.pixels(), data.count());
        }

        static ImageStats of(float[] pixels, int count) {
            double[] mean = new double[784];
            long ink = 0;
            long border = 0;
            long borderPixels = 0;
            for (int n = 0; n < count; n++) {
                for (int p = 0; p < 784; p++) {
                    float v = pixels[n * 784 + p];
                    mean[p] += v / count;
                    ink += v > 0.5f ? 1 : 0;
                    int row = p / 28, col = p % 28;
                    if (row < 3 || row > 24 || col < 3 || col > 24) {
                        borderPixels++;
                        border += v > 0.5f ? 1 : 0;
                    }
                }
            }
            return new ImageStats(ink / (784.0 * count), border / (double) borderPixels, mean);
        }

        double correlationWith(ImageStats other) {
            double ma = java.util.Arrays.stream(meanImage).average().orElse(0);
            double mb = java.util.Arrays.stream(other.meanImage).average().orElse(0);
            double sab = 0, saa = 0, sbb = 0;
            for (int i = 0; i < meanImage.length; i++) {
                double a = meanImage[i] - ma, b = other.meanImage[i] - mb;
                sab += a * b;
                saa += a * a;
                sbb += b * b;
            }
            return sab / Math.sqrt(saa * sbb);
        }
    }

    /** Each epoch's epoch, iterations, losses and D outputs (the columns that do not measure time). */
    private static List<List<Double>> lossColumns(Path run) throws IOException {
        MetricsTable metrics = MetricsTable.read(run.resolve("metrics.csv"));
        List<String> columns = List.of(MetricsTable.EPOCH, MetricsTable.ITERATIONS, MetricsTable.D_LOSS,
                MetricsTable.G_LOSS, MetricsTable.D_REAL, MetricsTable.D_FAKE);
        return metrics.rows().stream().map(row -> columns.stream().map(c -> metrics.value(row, c)).toList()).toList();
    }

    private static List<Path> leftoverTemporaryFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
