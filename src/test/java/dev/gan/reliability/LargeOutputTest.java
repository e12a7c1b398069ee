package dev.gan.reliability;

import dev.gan.TestData;
import dev.gan.cli.CliRunnerAccess;
import dev.gan.data.IdxFixtures;
import dev.gan.util.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sampling and evaluation stream their images a batch at a time: counts whose images alone would fill the
 * heap many times over finish in a JVM with 128 MB of heap.
 */
class LargeOutputTest {

    private static final String SMALL_HEAP = "128m";

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    static Path run;
    static Path classifier;

    @BeforeAll
    static void trainAGeneratorAndAClassifier() {
        run = shared.resolve("cgan");
        var t = CliRunnerAccess.run("train", "--conditional", "--data", TestData.mnistDir().toString(), "--split",
                "test", "--limit", "300", "--batch-size", "50", "--hidden", "16", "--noise-dim", "8", "--epochs", "1",
                "--out", run.toString(), "--quiet");
        assertThat(t.exitCode()).as(t.err()).isZero();
        classifier = shared.resolve("classifier.zip");
        var c = CliRunnerAccess.run("classifier", "train", "--data", TestData.mnistDir().toString(), "--split", "test",
                "--limit", "700", "--holdout", "200", "--epochs", "1", "--out", classifier.toString(), "--json");
        assertThat(c.exitCode()).as(c.err()).isZero();
    }

    @Test
    void twoHundredThousandSamplesAsIdxFitInASmallHeap() throws Exception {
        // 200,000 images are 627 MB as floats, 157 MB as bytes: more than the whole heap either way.
        Path base = tmp.resolve("many");
        GanProcess p = GanProcess.startWithHeap(tmp.resolve("sample.log"), SMALL_HEAP, "sample", "--run",
                run.toString(), "--count", "200000", "--format", "idx", "--out", base.toString());

        assertThat(p.waitFor(300)).as(p.output()).isZero();
        assertThat(Files.size(tmp.resolve("many-images-idx3-ubyte"))).isEqualTo(16 + 200_000L * 784);
        assertThat(Files.size(tmp.resolve("many-labels-idx1-ubyte"))).isEqualTo(8 + 200_000L);
    }

    @Test
    void aLargeOutputStoppedBySigtermLeavesNeitherItsTemporaryFileNorAHalfFile() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        GanProcess p = GanProcess.start(tmp.resolve("stopped.log"), "sample", "--run", run.toString(), "--count",
                "1000000", "--format", "idx", "--out", out.resolve("many").toString());
        long deadline = System.currentTimeMillis() + 120_000;
        while (listing(out).isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(listing(out)).as(p.output()).anyMatch(name -> name.endsWith(".tmp")); // writing, not done

        p.signal("TERM");

        assertThat(p.waitFor(60)).as(p.output()).isEqualTo(143);
        assertThat(listing(out)).isEmpty();
    }

    private static java.util.List<String> listing(Path dir) throws java.io.IOException {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    @Test
    void theStreamedSamplesAreTheSameImagesAsASmallDraw() throws Exception {
        Path small = tmp.resolve("small");
        Path large = tmp.resolve("large");
        assertThat(CliRunnerAccess.run("sample", "--run", run.toString(), "--count", "1500", "--format", "idx",
                "--out", small.toString()).exitCode()).isZero();
        assertThat(CliRunnerAccess.run("sample", "--run", run.toString(), "--count", "3500", "--format", "idx",
                "--out", large.toString()).exitCode()).isZero();

        byte[] a = Files.readAllBytes(tmp.resolve("small-images-idx3-ubyte"));
        byte[] b = Files.readAllBytes(tmp.resolve("large-images-idx3-ubyte"));
        assertThat(java.util.Arrays.copyOfRange(b, 16, a.length)).isEqualTo(java.util.Arrays.copyOfRange(a, 16, a.length));
    }

    @Test
    void evaluatingFiftyThousandSamplesFitsInASmallHeapAndSaysHowFarItIs() throws Exception {
        Path out = tmp.resolve("eval.json");
        GanProcess p = GanProcess.startWithHeap(tmp.resolve("eval.log"), SMALL_HEAP, "eval", "--run", run.toString(),
                "--count", "50000", "--classifier", classifier.toString(), "--data", TestData.mnistDir().toString(),
                "--out", out.toString());

        assertThat(p.waitFor(300)).as(p.output()).isZero();
        var report = Json.MAPPER.readTree(out.toFile()).get("report");
        assertThat(report.get("count").asInt()).isEqualTo(50_000);
        assertThat(report.get("labelAccuracyPerDigit")).hasSize(10);
        // Not a terminal: a line at every tenth.
        assertThat(p.output()).contains("  eval: 5000 of 50000 samples", "  eval: 45000 of 50000 samples")
                .doesNotContain("50000 of 50000");
    }

    @Test
    void evaluatingAGeneratorOfAnotherImageSizeIsAUsageError() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("tiny"));
        int[] digits = new int[200];
        for (int i = 0; i < digits.length; i++) {
            digits[i] = i % 10;
        }
        IdxFixtures.write(data, "t10k-images-idx3-ubyte", IdxFixtures.images(200, 1, 1));
        IdxFixtures.write(data, "t10k-labels-idx1-ubyte", IdxFixtures.labels(digits));
        Path tiny = tmp.resolve("tiny-run");
        var t = CliRunnerAccess.run("train", "--data", data.toString(), "--split", "test", "--batch-size", "50",
                "--hidden", "8", "--noise-dim", "4", "--epochs", "1", "--out", tiny.toString(), "--quiet");
        assertThat(t.exitCode()).as(t.err()).isZero();

        var r = CliRunnerAccess.run("eval", "--run", tiny.toString(), "--classifier", classifier.toString(),
                "--data", TestData.mnistDir().toString());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("1x1 images", "784 pixels");

        // Without --data it is judged against its own 1x1 data: refused before the classifier meets those images.
        var own = CliRunnerAccess.run("eval", "--run", tiny.toString(), "--classifier", classifier.toString());
        assertThat(own.exitCode()).as(own.err()).isEqualTo(2);
        assertThat(own.err().strip().lines()).as("what it judges against, then what is wrong").hasSize(2)
                .last().asString().contains("1x1", "784 pixels");
        assertThat(own.err()).doesNotContain("internal error");
    }
}
