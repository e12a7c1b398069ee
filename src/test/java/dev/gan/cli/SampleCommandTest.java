package dev.gan.cli;

import dev.gan.TestData;
import dev.gan.data.IdxFile;
import dev.gan.data.IdxReader;
import dev.gan.data.ImageDataset;
import dev.gan.model.Architecture;
import dev.gan.model.GanModels;
import dev.gan.model.GeneratorFile;
import dev.gan.model.ModelSpec;
import dev.gan.model.NoiseKind;
import dev.gan.model.WeightInitKind;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** gan sample on a small conditional and a small plain generator, trained once for the class. */
class SampleCommandTest {

    @TempDir
    static Path models;

    @TempDir
    Path tmp;

    static Path cgan;
    static Path plain;

    @BeforeAll
    static void trainTinyModels() {
        cgan = models.resolve("cgan");
        plain = models.resolve("plain");
        for (Path run : List.of(cgan, plain)) {
            List<String> args = new java.util.ArrayList<>(List.of("train", "--data", TestData.mnistDir().toString(),
                    "--split", "test", "--limit", "200", "--batch-size", "50", "--hidden", "16", "--noise-dim", "8",
                    "--epochs", "1", "--out", run.toString(), "--quiet"));
            if (run == cgan) {
                args.add("--conditional");
            }
            CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.err()).isZero();
        }
    }

    @Test
    void aPngGridIsAsSquareAsPossibleWithScaledPixels() throws IOException {
        Path out = tmp.resolve("grid.png");

        CliRunner.Result r = CliRunner.run("sample", "--run", cgan.toString(), "--count", "12", "--scale", "3",
                "--out", out.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        BufferedImage image = ImageIO.read(out.toFile());
        assertThat(image.getWidth()).isEqualTo(4 * 28 * 3 + 3);   // 4 columns, 1-pixel gaps
        assertThat(image.getHeight()).isEqualTo(3 * 28 * 3 + 2);  // 3 rows
    }

    @Test
    void severalDigitsGetOneRowEach() throws IOException {
        Path out = tmp.resolve("037.png");

        CliRunner.Result r = CliRunner.run("sample", "--run", cgan.toString(), "--digits", "0,3,7", "--count", "15",
                "--scale", "1", "--out", out.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        BufferedImage image = ImageIO.read(out.toFile());
        assertThat(image.getWidth()).isEqualTo(5 * 28 + 4);
        assertThat(image.getHeight()).isEqualTo(3 * 28 + 2);
    }

    @Test
    void idxOutputReadsBackWithTheProjectsOwnReaderAndCarriesTheAskedDigits() throws Exception {
        Path base = tmp.resolve("sevens");

        CliRunner.Result r = CliRunner.run("sample", "--model", cgan.resolve("generator.zip").toString(),
                "--digit", "7", "--count", "250", "--format", "idx", "--out", base.toString(), "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(dev.gan.util.Json.MAPPER.readTree(r.out().strip()).get("files")).hasSize(3);
        IdxFile images = IdxReader.readImages(tmp.resolve("sevens-images-idx3-ubyte"));
        IdxFile labels = IdxReader.readLabels(tmp.resolve("sevens-labels-idx1-ubyte"), 10);
        assertThat(images.count()).isEqualTo(250);
        assertThat(images.dims()).containsExactly(28, 28);
        assertThat(labels.data()).hasSize(250).containsOnly((byte) 7);
    }

    @Test
    void idxFilesHaveARecordBesideThemWhoseCommandDrawsThemAgain() throws Exception {
        Path base = tmp.resolve("recorded");
        CliRunner.Result r = CliRunner.run("sample", "--run", cgan.toString(), "--digits", "1,8", "--count", "20",
                "--format", "idx", "--out", base.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();

        com.fasterxml.jackson.databind.JsonNode record = dev.gan.util.Json.read(tmp.resolve("recorded.json"));
        String source = cgan.resolve("generator.zip").toAbsolutePath().normalize().toString();
        assertThat(record.get("Software").asText()).startsWith("gan ");
        assertThat(record.get("Source").asText()).isEqualTo(source);
        assertThat(record.get("Comment").asText()).isEqualTo("gan sample --model " + source
                + " --digits 1,8 --count 20 --format idx --seed 42");

        List<String> words = shellWords(record.get("Comment").asText());
        List<String> args = new java.util.ArrayList<>(words.subList(1, words.size()));
        args.addAll(List.of("--out", tmp.resolve("again").toString()));
        assertThat(CliRunner.run(args.toArray(String[]::new)).exitCode()).isZero();
        for (String file : List.of("-images-idx3-ubyte", "-labels-idx1-ubyte")) {
            assertThat(Files.readAllBytes(tmp.resolve("again" + file)))
                    .isEqualTo(Files.readAllBytes(tmp.resolve("recorded" + file)));
        }
    }

    @Test
    void aRecordNameTheUserHasIsKept() throws Exception {
        Path mine = Files.writeString(tmp.resolve("mine.json"), "{\"notes\": 1}");

        CliRunner.Result r = CliRunner.run("sample", "--run", cgan.toString(), "--count", "5", "--format", "idx",
                "--out", tmp.resolve("mine").toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains(mine.toString(), "--force");
        assertThat(mine).hasContent("{\"notes\": 1}");
        assertThat(tmp.resolve("mine-images-idx3-ubyte")).doesNotExist();
    }

    @Test
    void aPlainModelWritesNoLabelsFile() throws Exception {
        Path base = tmp.resolve("plain");

        CliRunner.Result r = CliRunner.run("sample", "--run", plain.toString(), "--count", "10", "--format", "idx",
                "--out", base.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(IdxReader.readImages(tmp.resolve("plain-images-idx3-ubyte")).count()).isEqualTo(10);
        assertThat(tmp.resolve("plain-labels-idx1-ubyte")).doesNotExist();
    }

    @Test
    void pngsWritesOneFilePerImageNamedWithItsDigit() throws IOException {
        Path dir = tmp.resolve("many");

        CliRunner.Result r = CliRunner.run("sample", "--run", cgan.toString(), "--count", "12", "--format", "pngs",
                "--out", dir.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .hasSize(12).startsWith("00000-digit0.png", "00001-digit1.png").contains("00011-digit1.png");
        }
    }

    @Test
    void aPngKeepsWhatMadeItAndThatCommandDrawsItAgain() throws IOException {
        Path first = tmp.resolve("first.png");
        CliRunner.run("sample", "--run", cgan.toString(), "--digits", "3,5", "--count", "6", "--out", first.toString());

        java.util.Map<String, String> text = pngText(first);
        assertThat(text.get("Software")).startsWith("gan ").contains("Deeplearning4j");
        assertThat(text.get("Source")).isEqualTo(cgan.resolve("generator.zip").toAbsolutePath().normalize().toString());
        assertThat(text.get("Comment")).as("the options that decide the pixels, the default seed included")
                .isEqualTo("gan sample --model " + text.get("Source") + " --digits 3,5 --count 6 --seed 42");

        assertDrawsTheSameFile(text.get("Comment"), first);
    }

    @Test
    void optionsSetByVariablesAreRecordedSoThatAnotherShellDrawsTheSameImages() throws IOException {
        Path first = tmp.resolve("from-variables.png");
        java.io.StringWriter err = new java.io.StringWriter();
        int code = GanCli.newCommandLine(new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err),
                java.util.Map.of("GAN_DIGITS", "3,5", "GAN_COUNT", "6", "GAN_FORCE", "true"))
                .execute("sample", "--run", cgan.toString(), "--out", first.toString());
        assertThat(code).as(err.toString()).isZero();

        String comment = pngText(first).get("Comment");
        assertThat(comment).contains(" --digits 3,5", " --count 6", " --seed 42").doesNotContain("--force");
        assertDrawsTheSameFile(comment, first);
    }

    @Test
    void aGifKeepsWhatMadeItInItsCommentsAndThatCommandDrawsItAgain() throws Exception {
        Path first = tmp.resolve("first.gif");
        CliRunner.run("sample", "--run", cgan.toString(), "--interpolate", "--digit", "2", "--steps", "3", "--out",
                first.toString());

        List<String> comments = dev.gan.image.GifWriterTest.comments(first);
        String source = cgan.resolve("generator.zip").toAbsolutePath().normalize().toString();
        assertThat(comments).hasSize(3);
        assertThat(comments.get(0)).startsWith("Software: gan ");
        assertThat(comments.subList(1, 3)).containsExactly("Source: " + source,
                "Comment: gan sample --model " + source + " --interpolate --digit 2 --steps 3 --seed 42");

        assertDrawsTheSameFile(comments.get(2).substring("Comment: ".length()), first);
    }

    @Test
    void theRecordedCommandIsAShellLineThatBashSplitsBackEvenWithSpacesInThePath() throws Exception {
        Path model = Files.copy(cgan.resolve("generator.zip"),
                Files.createDirectories(tmp.resolve("my models")).resolve("the cgan.zip"));
        Path first = tmp.resolve("spaced.png");
        CliRunner.run("sample", "--model", model.toString(), "--digit", "4", "--count", "3", "--out", first.toString());

        String comment = pngText(first).get("Comment");
        assertThat(shellWords(comment).subList(0, 4)).containsExactly("gan", "sample", "--model",
                model.toAbsolutePath().normalize().toString());
        assertDrawsTheSameFile(comment, first);
    }

    /** {@code command} (a recorded "gan sample ..." line), run with another --out, writes {@code first}'s bytes. */
    private void assertDrawsTheSameFile(String command, Path first) throws IOException {
        List<String> words = shellWords(command);
        assertThat(words.subList(0, 2)).containsExactly("gan", "sample");
        Path again = tmp.resolve("again-" + first.getFileName());
        List<String> args = new java.util.ArrayList<>(words.subList(1, words.size()));
        args.addAll(List.of("--out", again.toString()));

        CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(first));
    }

    /** The words bash makes of {@code line}. */
    private static List<String> shellWords(String line) throws IOException {
        Process bash = new ProcessBuilder("bash", "-c", "printf '%s\\0' " + line).start();
        String out = new String(bash.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            assertThat(bash.waitFor()).isZero();
        } catch (InterruptedException e) {
            throw new java.io.InterruptedIOException();
        }
        return List.of(out.split("\0"));
    }

    /** The international text entries (iTXt) of a PNG, keyword to value. */
    private static java.util.Map<String, String> pngText(Path png) throws IOException {
        java.util.Map<String, String> text = new java.util.LinkedHashMap<>();
        try (javax.imageio.stream.ImageInputStream stream = javax.imageio.ImageIO.createImageInputStream(png.toFile())) {
            javax.imageio.ImageReader reader = javax.imageio.ImageIO.getImageReadersByFormatName("png").next();
            try {
                reader.setInput(stream);
                org.w3c.dom.Node root = reader.getImageMetadata(0).getAsTree("javax_imageio_png_1.0");
                for (org.w3c.dom.Node node = root.getFirstChild(); node != null; node = node.getNextSibling()) {
                    if (node.getNodeName().equals("iTXt")) {
                        for (org.w3c.dom.Node entry = node.getFirstChild(); entry != null; entry = entry.getNextSibling()) {
                            var attributes = entry.getAttributes();
                            text.put(attributes.getNamedItem("keyword").getNodeValue(),
                                    attributes.getNamedItem("text").getNodeValue());
                        }
                    }
                }
            } finally {
                reader.dispose();
            }
        }
        return text;
    }

    @Test
    void theSameSeedGivesTheSameImagesBitForBit() throws IOException {
        Path a = tmp.resolve("a.png");
        Path b = tmp.resolve("b.png");
        Path c = tmp.resolve("c.png");

        CliRunner.run("sample", "--run", cgan.toString(), "--seed", "9", "--out", a.toString());
        CliRunner.run("sample", "--run", cgan.toString(), "--seed", "9", "--out", b.toString());
        CliRunner.run("sample", "--run", cgan.toString(), "--seed", "10", "--out", c.toString());

        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
        assertThat(Files.readAllBytes(a)).isNotEqualTo(Files.readAllBytes(c));
    }

    @Test
    void anInterpolationIsAStripOrALoopingGif() throws IOException {
        Path strip = tmp.resolve("strip.png");
        Path gif = tmp.resolve("walk.gif");

        CliRunner.Result r1 = CliRunner.run("sample", "--run", cgan.toString(), "--interpolate", "--digit", "3",
                "--steps", "6", "--scale", "1", "--out", strip.toString());
        CliRunner.Result r2 = CliRunner.run("sample", "--run", cgan.toString(), "--interpolate-labels", "1,7",
                "--steps", "5", "--count", "4", "--format", "gif", "--out", gif.toString());

        assertThat(r1.exitCode()).as(r1.err()).isZero();
        assertThat(r2.exitCode()).as(r2.err()).isZero();
        BufferedImage image = ImageIO.read(strip.toFile());
        assertThat(image.getWidth()).isEqualTo(6 * 28 + 5);
        assertThat(image.getHeight()).isEqualTo(28);
        assertThat(gifFrames(gif)).isEqualTo(5 + 3); // forward, then back without repeating the ends
    }

    @Test
    void anOutNamedGifIsAGifWithoutFormat() throws IOException {
        Path gif = tmp.resolve("named.gif");

        CliRunner.Result r = CliRunner.run("sample", "--run", cgan.toString(), "--interpolate", "--digit", "3",
                "--steps", "4", "--scale", "1", "--out", gif.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(gifFrames(gif)).isEqualTo(4 + 2);
    }

    @Test
    void anExistingOutputIsKeptWithoutForce() throws IOException {
        Path out = Files.writeString(tmp.resolve("mine.png"), "precious");

        CliRunner.Result refused = CliRunner.run("sample", "--run", cgan.toString(), "--out", out.toString());
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err()).contains("already exists", "--force");
        assertThat(out).hasContent("precious");

        CliRunner.Result forced = CliRunner.run("sample", "--run", cgan.toString(), "--out", out.toString(), "--force");
        assertThat(forced.exitCode()).isZero();
        assertThat(ImageIO.read(out.toFile())).isNotNull();
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of(List.of("--digit", "10"), "Invalid digit 10"),
                Arguments.of(List.of("--digit", "-1"), "Invalid digit -1"),
                Arguments.of(List.of("--digit", "seven"), "'--digit'"),
                Arguments.of(List.of("--count", "0"), "'--count'"),
                Arguments.of(List.of("--count", "1000001"), "'--count'"),
                Arguments.of(List.of("--grid", "3x3", "--count", "10"), "'--grid'"),
                Arguments.of(List.of("--grid", "banana"), "'--grid'"),
                Arguments.of(List.of("--format", "gif"), "--format gif needs"),
                Arguments.of(List.of("--out", "x.jpg"), "x.jpg: gan writes PNG and GIF images, not .jpg"),
                Arguments.of(List.of("--format", "png", "--out", "x.gif"), "x.gif: --format png writes a PNG"),
                Arguments.of(List.of("--out", "x.gif"), "x.gif: a GIF needs --interpolate"),
                Arguments.of(List.of("--out", "/no/such/dir/x.png"), "does not exist"),
                Arguments.of(List.of("--out", "/dev/null/x.png"), "the output directory /dev/null is a file, not a folder"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void badInputGivesExitTwoAndOneLine(List<String> extra, String expected) {
        List<String> args = new java.util.ArrayList<>(List.of("sample", "--run", cgan.toString()));
        if (!extra.contains("--out")) {
            args.addAll(List.of("--out", tmp.resolve("x.png").toString()));
        }
        for (int i = 0; i < extra.size(); i++) { // a relative --out goes under tmp
            boolean out = i > 0 && extra.get(i - 1).equals("--out") && !Path.of(extra.get(i)).isAbsolute();
            args.add(out ? tmp.resolve(extra.get(i)).toString() : extra.get(i));
        }

        CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains(expected);
    }

    @Test
    void categoriesOfACategoricalModelGetOneRowEachWithTheRestOfZAsDrawn() throws Exception {
        Path categorical = tmp.resolve("categorical");
        CliRunner.Result t = CliRunner.run("train", "--data", TestData.mnistDir().toString(), "--split", "test",
                "--limit", "100", "--batch-size", "50", "--hidden", "16", "--noise", "categorical", "--noise-dim", "16",
                "--epochs", "1", "--out", categorical.toString(), "--quiet");
        assertThat(t.exitCode()).as(t.err()).isZero();

        CliRunner.Result grid = CliRunner.run("sample", "--run", categorical.toString(), "--categories", "2,5",
                "--count", "10", "--scale", "1", "--out", tmp.resolve("25.png").toString());
        CliRunner.Result both = CliRunner.run("sample", "--run", categorical.toString(), "--categories", "2,5",
                "--count", "10", "--format", "idx", "--out", tmp.resolve("both").toString());
        CliRunner.Result twos = CliRunner.run("sample", "--run", categorical.toString(), "--categories", "2",
                "--count", "5", "--format", "idx", "--out", tmp.resolve("twos").toString());
        CliRunner.Result fives = CliRunner.run("sample", "--run", categorical.toString(), "--categories", "5",
                "--count", "5", "--format", "idx", "--out", tmp.resolve("fives").toString());

        assertThat(List.of(grid, both, twos, fives)).allSatisfy(r -> assertThat(r.exitCode()).as(r.err()).isZero());
        BufferedImage image = ImageIO.read(tmp.resolve("25.png").toFile());
        assertThat(image.getHeight()).isEqualTo(2 * 28 + 1);
        assertThat(image.getWidth()).isEqualTo(5 * 28 + 4);
        byte[] rows = IdxReader.readImages(tmp.resolve("both-images-idx3-ubyte")).data();
        byte[] twoRow = IdxReader.readImages(tmp.resolve("twos-images-idx3-ubyte")).data();
        byte[] fiveRow = IdxReader.readImages(tmp.resolve("fives-images-idx3-ubyte")).data();
        assertThat(java.util.Arrays.copyOfRange(rows, 0, 5 * 784)).isEqualTo(twoRow);
        assertThat(twoRow).isNotEqualTo(fiveRow); // same continuous z, another category
        assertThat(tmp.resolve("both-labels-idx1-ubyte")).doesNotExist(); // a category is no digit label
    }

    @Test
    void categoriesNeedACategoricalPlainModelAndACategoryOfZ() {
        for (Path run : List.of(cgan, plain)) {
            CliRunner.Result r = CliRunner.run("sample", "--run", run.toString(), "--categories", "1", "--out",
                    tmp.resolve("x.png").toString());
            assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.errLines()).hasSize(1);
            assertThat(r.err()).contains("--categories needs a plain model trained with --noise categorical");
        }
        CliRunner.Result r = CliRunner.run("sample", "--run", plain.toString(), "--categories", "10", "--out",
                tmp.resolve("x.png").toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("Invalid category 10 (must be 0..9)");
    }

    @Test
    void aPlainModelAskedToMorphBetweenDigitsSaysItIsUnconditional() {
        CliRunner.Result r = CliRunner.run("sample", "--run", plain.toString(), "--interpolate-labels", "1,7", "--out",
                tmp.resolve("x.png").toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("unconditional");
    }

    /** A quickly trained digit classifier, and a plain "generator" that draws one real 7 whatever its noise. */
    private static Path digitClassifier;
    private static Path sevens;

    private static void prepareSevens() throws Exception {
        if (sevens != null) {
            return;
        }
        digitClassifier = models.resolve("classifier.zip");
        CliRunner.Result c = CliRunner.run("classifier", "train", "--data", TestData.mnistDir().toString(),
                "--split", "test", "--limit", "2500", "--holdout", "500", "--epochs", "1", "--out",
                digitClassifier.toString());
        assertThat(c.exitCode()).as(c.err()).isZero();
        ImageDataset real = ImageDataset.load(TestData.mnistDir(), dev.gan.data.Split.TEST, 100);
        int seven = 0;
        while (real.label(seven) != 7) {
            seven++;
        }
        ModelSpec spec = new ModelSpec(false, 8, NoiseKind.GAUSSIAN, 16, 28, 28, 10, WeightInitKind.NORMAL,
                Architecture.MLP);
        ComputationGraph g = GanModels.generator(spec, 1e-3, 0.9, 0.999, 1);
        float[] logits = new float[784];
        for (int i = 0; i < logits.length; i++) {
            double p = Math.min(0.99, Math.max(0.01, real.pixels()[seven * 784 + i]));
            logits[i] = (float) Math.log(p / (1 - p));
        }
        g.getLayer(GanModels.G_OUT).setParam("W", Nd4j.zeros(DataType.FLOAT, 16, 784));
        g.getLayer(GanModels.G_OUT).setParam("b", Nd4j.create(logits, new long[] {1, 784}, 'c'));
        sevens = models.resolve("sevens.zip");
        GeneratorFile.save(g, spec, sevens, false);
    }

    @Test
    void oneImageIsOneImage() {
        Path out = tmp.resolve("one.png");

        CliRunner.Result r = CliRunner.run("sample", "--run", cgan.toString(), "--count", "1", "--out", out.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo("wrote 1 image to " + out);
    }

    @Test
    void theDigitPickingOptionsWithoutDigitsToPickAreRefusedSayingWhy() {
        Path out = tmp.resolve("s.png");

        CliRunner.Result onACgan = CliRunner.run("sample", "--run", cgan.toString(), "--digit", "3",
                "--min-confidence", "0.5", "--out", out.toString());
        CliRunner.Result noDigit = CliRunner.run("sample", "--run", plain.toString(), "--classifier",
                tmp.resolve("c.zip").toString(), "--out", out.toString());

        assertThat(onACgan.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(onACgan.errLines()).hasSize(1);
        assertThat(onACgan.err()).contains("--min-confidence is for picking a plain GAN's digits", "is a cGAN");
        assertThat(noDigit.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noDigit.err()).contains("--classifier is for picking a plain GAN's digits", "no --digit was given");
        assertThat(out).doesNotExist();
    }

    @Test
    void aPlainModelsDigitsArePickedByTheClassifierWithTheirLabels() throws Exception {
        prepareSevens();
        Path base = tmp.resolve("picked");

        CliRunner.Result r = CliRunner.run("sample", "--model", sevens.toString(), "--digit", "7", "--count", "20",
                "--classifier", digitClassifier.toString(), "--format", "idx", "--out", base.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote 20 images of digit 7");
        assertThat(r.err()).contains("kept 20 of 1,000 images drawn", "confidence >= 0.90", "7: 100.0%");
        IdxFile labels = IdxReader.readLabels(Path.of(base + "-labels-idx1-ubyte"), 10);
        assertThat(labels.count()).isEqualTo(20);
        for (byte label : labels.data()) {
            assertThat(label).isEqualTo((byte) 7);
        }
    }

    @Test
    void aClassifierOfAnotherDataSetPicksAsAskedButIsSaidToSayLittle() throws Exception {
        prepareSevens();
        Path declaredFashion = tmp.resolve("fashion");
        CliRunner.Result t = CliRunner.run("train", "--dataset", "fashion", "--data",
                TestData.ownCopy(tmp.resolve("own"), dev.gan.data.Split.TEST, 100).toString(),
                "--split", "test", "--limit", "100", "--batch-size", "50", "--hidden", "16", "--noise-dim", "8",
                "--epochs", "1", "--out", declaredFashion.toString(), "--quiet");
        assertThat(t.exitCode()).as(t.err()).isZero();

        CliRunner.Result r = CliRunner.run("sample", "--run", declaredFashion.toString(), "--digit", "1", "--count", "1",
                "--min-confidence", "0.01", "--classifier", digitClassifier.toString(), "--out",
                tmp.resolve("one.png").toString());

        assertThat(r.err()).contains("gan sample: " + digitClassifier + ": this classifier learnt from mnist images "
                + "and is to judge fashion ones");
    }

    @Test
    void aDigitThePlainModelNeverDrawsEndsWithOneLineAndNothingWritten() throws Exception {
        prepareSevens();
        Path out = tmp.resolve("fours.png");

        CliRunner.Result r = CliRunner.run("sample", "--model", sevens.toString(), "--digit", "4",
                "--classifier", digitClassifier.toString(), "--out", out.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("digit 4", "0.00%", "10,000 drawn images");
        assertThat(out).doesNotExist();
    }

    @Test
    void aPlainModelWalksBetweenKeptImagesOfADigit() throws Exception {
        prepareSevens();
        Path out = tmp.resolve("walk.gif");

        CliRunner.Result r = CliRunner.run("sample", "--model", sevens.toString(), "--digit", "7", "--interpolate",
                "--steps", "4", "--format", "gif", "--classifier", digitClassifier.toString(), "--out", out.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("kept 2 of 1,000");
        assertThat(Files.size(out)).isPositive();
    }

    @Test
    void aPlainModelWithoutAClassifierOrARunRecordSaysWhatToDo() throws Exception {
        prepareSevens();
        String home = System.getProperty("user.home");
        System.setProperty("user.home", tmp.toString()); // no ~/.gan/classifier there
        try {
            CliRunner.Result r = CliRunner.run("sample", "--model", sevens.toString(), "--digit", "7", "--out",
                    tmp.resolve("x.png").toString());
            assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.errLines()).hasSize(1);
            assertThat(r.err()).contains("no digit classifier", "--classifier FILE", "gan classifier train");
        } finally {
            System.setProperty("user.home", home);
        }
    }

    @Test
    void missingAndCorruptModelFilesGiveExitTwo() throws IOException {
        Path corrupt = Files.write(tmp.resolve("generator.zip"), new byte[] {'P', 'K', 3, 4, 1, 2, 3});
        Path foreign = tmp.resolve("foreign.zip");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(foreign))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("hello.txt"));
            zip.write("not a model".getBytes());
        }

        for (Path model : List.of(tmp.resolve("absent.zip"), corrupt, foreign)) {
            CliRunner.Result r = CliRunner.run("sample", "--model", model.toString(), "--out",
                    tmp.resolve("x.png").toString());
            assertThat(r.exitCode()).as(model.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.errLines()).as(r.err()).hasSize(1);
            assertThat(r.err()).contains(model.toString());
        }
    }

    private static int gifFrames(Path gif) throws IOException {
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            reader.setInput(in);
            return reader.getNumImages(true);
        } finally {
            reader.dispose();
        }
    }
}
