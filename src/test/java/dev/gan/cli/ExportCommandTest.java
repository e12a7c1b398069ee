package dev.gan.cli;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.gan.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** gan export writes a file ONNX Runtime opens, describes the model in it, and refuses what it cannot write. */
class ExportCommandTest {

    @TempDir
    static Path models;

    @TempDir
    Path tmp;

    static Path cgan;

    @BeforeAll
    static void trainATinyCgan() {
        cgan = models.resolve("cgan");
        CliRunner.Result r = CliRunner.run("train", "--conditional", "--data", TestData.mnistDir().toString(),
                "--split", "test", "--limit", "200", "--batch-size", "50", "--hidden", "16", "--noise-dim", "8",
                "--epochs", "1", "--ema", "0.9", "--out", cgan.toString(), "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    @Test
    void aRunsGeneratorBecomesAnOnnxFileWithNamedInputsAndTheRunsDescription() throws Exception {
        Path out = tmp.resolve("cgan.onnx");

        CliRunner.Result r = CliRunner.run("export", "--run", cgan.toString(), "--out", out.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote " + out, "ONNX opset 13");
        try (OrtSession session = OrtEnvironment.getEnvironment().createSession(out.toString(),
                new OrtSession.SessionOptions())) {
            assertThat(session.getInputNames()).containsExactlyInAnyOrder("z", "label");
            assertThat(session.getOutputNames()).containsExactly("image");
            assertThat(session.getMetadata().getCustomMetadata()).containsEntry("noise_dim", "8")
                    .containsEntry("classes", "10").containsEntry("conditional", "true").containsEntry("seed", "42")
                    .containsEntry("ema", "0.9").containsKey("recipe");
        }
        try (var files = Files.list(tmp)) {
            assertThat(files).containsExactly(out);
        }
    }

    @Test
    void anExistingFileIsReplacedOnlyWithForce() throws Exception {
        Path out = Files.writeString(tmp.resolve("mine.onnx"), "mine");

        CliRunner.Result refused = CliRunner.run("export", "--run", cgan.toString(), "--out", out.toString());
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.errLines()).hasSize(1);
        assertThat(refused.err()).contains("exists", "--force");
        assertThat(out).hasContent("mine");

        assertThat(CliRunner.run("export", "--run", cgan.toString(), "--out", out.toString(), "--force").exitCode())
                .isZero();
        assertThat(Files.size(out)).isGreaterThan(1000);
    }

    @Test
    void aFolderIsNeverReplacedEvenWithForce() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("exports"));
        Files.writeString(folder.resolve("notes.txt"), "mine");

        CliRunner.Result r = CliRunner.run("export", "--run", cgan.toString(), "--out", folder.toString(), "--force");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains(folder + ": is a folder; name a file to write");
        assertThat(folder.resolve("notes.txt")).hasContent("mine");
    }

    @Test
    void whatIsNoGeneratorIsOneLineAndExitTwoWithNothingWritten() throws Exception {
        Path discriminator;
        try (var files = Files.walk(cgan.resolve("checkpoints"))) {
            discriminator = files.filter(p -> p.getFileName().toString().equals("discriminator.zip")).findFirst()
                    .orElseThrow();
        }
        Path corrupt = Files.write(tmp.resolve("corrupt.zip"), new byte[] {1, 2, 3, 4});
        for (String[] args : new String[][] {
                {"export", "--model", discriminator.toString(), "--out", tmp.resolve("d.onnx").toString()},
                {"export", "--model", corrupt.toString(), "--out", tmp.resolve("c.onnx").toString()},
                {"export", "--runs", tmp.resolve("no-runs").toString(), "--out", tmp.resolve("n.onnx").toString()},
                {"export", "--run", cgan.toString(), "--out", tmp.resolve("no-such-folder/x.onnx").toString()},
                {"export", "--run", cgan.toString(), "--format", "tflite"}}) {
            CliRunner.Result r = CliRunner.run(args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
            assertThat(r.errLines()).as(r.err()).hasSize(1);
        }
        try (var files = Files.list(tmp)) {
            assertThat(files).containsExactly(corrupt);
        }
    }

    @Test
    void withoutOutTheDefaultNameIsNumberedOnAndAUsersGeneratorOnnxIsLeftAlone() throws Exception {
        Files.writeString(tmp.resolve("generator.onnx"), "mine");

        FirstFiveMinutesTest.Outcome first = FirstFiveMinutesTest.gan(tmp, "export", "--run", cgan.toString());
        FirstFiveMinutesTest.Outcome second = FirstFiveMinutesTest.gan(tmp, "export", "--run", cgan.toString());

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).startsWith("wrote generator-2.onnx (");
        assertThat(second.out()).as(second.err()).startsWith("wrote generator-3.onnx (");
        assertThat(tmp.resolve("generator.onnx")).hasContent("mine");
        for (String name : new String[] {"generator-2.onnx", "generator-3.onnx"}) {
            try (OrtSession session = OrtEnvironment.getEnvironment().createSession(tmp.resolve(name).toString(),
                    new OrtSession.SessionOptions())) {
                assertThat(session.getOutputNames()).as(name).containsExactly("image");
            }
        }
    }

    @Test
    void exportsStartedTogetherWithoutOutEachWriteTheirOwnFile() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        var started = java.util.List.of(
                pool.submit(() -> FirstFiveMinutesTest.gan(tmp, "export", "--run", cgan.toString(), "--threads", "1")),
                pool.submit(() -> FirstFiveMinutesTest.gan(tmp, "export", "--run", cgan.toString(), "--threads", "1")));
        java.util.List<String> written = new java.util.ArrayList<>();
        for (var f : started) {
            FirstFiveMinutesTest.Outcome o = f.get();
            assertThat(o.exitCode()).as(o.err()).isZero();
            written.add(o.out().substring("wrote ".length(), o.out().indexOf(" (")));
        }
        pool.shutdown();

        assertThat(written).containsExactlyInAnyOrder("generator.onnx", "generator-2.onnx");
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")))
                    .containsExactlyInAnyOrder("generator.onnx", "generator-2.onnx");
        }
        assertThat(Files.size(tmp.resolve("generator.onnx"))).isEqualTo(Files.size(tmp.resolve("generator-2.onnx")));
    }

    @Test
    void forceWithoutOutReplacesGeneratorOnnx() throws Exception {
        Files.writeString(tmp.resolve("generator.onnx"), "an older export");

        FirstFiveMinutesTest.Outcome r = FirstFiveMinutesTest.gan(tmp, "export", "--run", cgan.toString(), "--force");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("wrote generator.onnx (");
        assertThat(Files.size(tmp.resolve("generator.onnx"))).isGreaterThan(1000);
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")))
                    .containsExactly("generator.onnx");
        }
    }
}
