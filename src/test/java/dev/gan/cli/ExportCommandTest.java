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
}
