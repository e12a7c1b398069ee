package dev.gan.cli;

import dev.gan.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** report.html of a real run: its images exist, and a headless Chromium loads the page with all of them. */
class ReportCommandTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    static Path shared;

    static Path run;

    @BeforeAll
    static void trainTinyRun() {
        run = shared.resolve("run");
        CliRunner.Result r = CliRunner.run("train", "--conditional", "--data", TestData.mnistDir().toString(),
                "--split", "test", "--limit", "500", "--batch-size", "50", "--hidden", "32", "--noise-dim", "16",
                "--epochs", "3", "--sample-every", "1", "--out", run.toString(), "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    @Test
    void trainWritesAReportWhoseImagesAllExist() throws Exception {
        String html = Files.readString(run.resolve("report.html"));

        assertThat(html).contains("<h2>Configuration</h2>", "<h2>Training curves</h2>", "Samples over epochs")
                .doesNotContain("http://", "https://");
        Matcher images = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
        int count = 0;
        while (images.find()) {
            Path image = run.resolve(images.group(1));
            assertThat(ImageIO.read(image.toFile())).as(image.toString()).isNotNull();
            count++;
        }
        assertThat(count).isEqualTo(3 + 3); // losses, discriminator, speed + three sample grids
        assertThat(run.resolve("plots/losses.png")).isNotEmptyFile();
    }

    @Test
    void ganReportRegeneratesItAndRefusesADirectoryWithoutARun() throws Exception {
        Files.delete(run.resolve("report.html"));

        CliRunner.Result r = CliRunner.run("report", run.toString());
        CliRunner.Result missing = CliRunner.run("report", shared.resolve("nothing").toString());
        CliRunner.Result notARun = CliRunner.run("report", Files.createDirectories(shared.resolve("empty")).toString());

        assertThat(r.exitCode()).isZero();
        assertThat(run.resolve("report.html")).exists();
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("nothing: not found; expected a run directory made by gan train");
        assertThat(notARun.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(notARun.err()).contains("no metrics.csv");
    }

    @Test
    void withJsonItPrintsOneObjectNamingTheReport() throws Exception {
        CliRunner.Result r = CliRunner.run("report", run.toString(), "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode printed = dev.gan.util.Json.MAPPER.readTree(r.out());
        assertThat(printed.get("report").asText()).isEqualTo(run.resolve("report.html").toString());
        assertThat(printed.get("run_dir").asText()).isEqualTo(run.toString());
    }

    @Test
    void aReportHtmlTheUserWroteIsReplacedOnlyWithForce() throws Exception {
        Path mine = Files.createDirectories(shared.resolve("mine"));
        try (var files = Files.list(run)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, mine.resolve(file.getFileName()));
            }
        }
        Files.writeString(mine.resolve("report.html"), "my notes on this run");

        CliRunner.Result refused = CliRunner.run("report", mine.toString());
        String kept = Files.readString(mine.resolve("report.html"));
        CliRunner.Result forced = CliRunner.run("report", mine.toString(), "--force");

        assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.errLines()).hasSize(1);
        assertThat(refused.err()).contains("report.html: already exists and is not a gan run's report.html", "--force");
        assertThat(kept).isEqualTo("my notes on this run");
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(mine.resolve("report.html")).content().startsWith("<!DOCTYPE html>").contains("<title>gan run mine");
    }

    @Test
    void anExperimentFolderIsPointedToGanExperimentReport() throws Exception {
        Path experiment = Files.createDirectories(shared.resolve("an-experiment"));
        Files.writeString(experiment.resolve("experiment.json"), "{}");

        CliRunner.Result r = CliRunner.run("report", experiment.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("this is an experiment folder: gan experiment report " + experiment);
    }

    @Test
    void aHeadlessChromiumLoadsThePageWithEveryImage() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), ".ci/run installs Debian's chromium for this test");
        Path profile = Files.createTempDirectory(shared, "chromium");
        List<String> flags = List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile);
        String url = run.resolve("report.html").toUri().toString();

        Process dom = new ProcessBuilder(concat(flags, "--dump-dom", url)).redirectErrorStream(false).start();
        String page = new String(dom.getInputStream().readAllBytes());
        assertThat(dom.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Path shot = shared.resolve("shot.png");
        Process screenshot = new ProcessBuilder(concat(flags, "--window-size=1200,1600", "--screenshot=" + shot, url))
                .redirectErrorStream(true).redirectOutput(shared.resolve("chromium.log").toFile()).start();
        assertThat(screenshot.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(page).contains("<title>IMAGES-OK gan run run</title>");
        assertThat(ImageIO.read(shot.toFile()).getWidth()).isEqualTo(1200);
    }

    private static List<String> concat(List<String> flags, String... more) {
        List<String> all = new java.util.ArrayList<>(flags);
        all.addAll(List.of(more));
        return all;
    }

    @Test
    void aDamagedJsonFileOfTheRunIsABadInputNamingItAndWhereItBreaks() throws Exception {
        for (String name : List.of("config.json", "eval.json")) {
            Path damaged = shared.resolve("damaged-" + name.replace(".json", ""));
            Files.createDirectories(damaged);
            Files.copy(run.resolve("metrics.csv"), damaged.resolve("metrics.csv"));
            Files.writeString(damaged.resolve(name), "{\"report\": ");

            CliRunner.Result r = CliRunner.run("report", damaged.toString());

            assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.errLines()).hasSize(1);
            assertThat(r.err()).contains(damaged.resolve(name) + ": not readable JSON (", "at line ")
                    .doesNotContain("REDACTED", "Exception");
            assertThat(damaged.resolve("report.html")).doesNotExist();
        }
    }
}
