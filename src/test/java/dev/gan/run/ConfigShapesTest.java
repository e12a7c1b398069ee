package dev.gan.run;

import dev.gan.TestData;
import dev.gan.cli.CliRunnerAccess;
import dev.gan.config.Engine;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * config.json in every shape gan has written: each fixture is a real run (a one-epoch cGAN on 200 digits, hidden 8)
 * made by the build of the commit its folder names, the last one before the next key was added, with its
 * checkpoint. Each must still load, as the run it recorded, and resume. A key added to the configuration without
 * saying what older files meant by its absence fails here.
 */
class ConfigShapesTest {

    /** Where the fixtures' runs found the data when they were made; the copies point at this machine's. */
    private static final String RECORDED_DATA = "/work/shared/data/mnist";

    static Stream<String> shapes() throws IOException, URISyntaxException {
        Path dir = Path.of(ConfigShapesTest.class.getResource("config-shapes").toURI());
        try (Stream<Path> folders = Files.list(dir)) {
            return folders.map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    private static Path copy(String shape, Path into) throws IOException, URISyntaxException {
        Path from = Path.of(ConfigShapesTest.class.getResource("config-shapes/" + shape).toURI());
        String data = TestData.mnistDir().toAbsolutePath().normalize().toString();
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path to = into.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else if (file.toString().endsWith(".json")) {
                    Files.writeString(to, Files.readString(file).replace(RECORDED_DATA, data));
                } else {
                    Files.copy(file, to);
                }
            }
        }
        return into;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void aConfigJsonOfEveryShapeEverWrittenLoadsAsItsRunRan(String shape, @TempDir Path tmp) throws Exception {
        Path run = copy(shape, tmp.resolve("run"));

        RunRecord record = RunRecord.read(run.resolve(RunLayout.CONFIG));

        assertThat(record.config().model().conditional()).isTrue();
        assertThat(record.config().model().hidden()).isEqualTo(8);
        assertThat(record.config().model().noiseDim()).isEqualTo(4);
        assertThat(record.config().schedule().batchSize()).isEqualTo(50);
        assertThat(record.config().tricks().dSteps()).isEqualTo(1);
        assertThat(record.config().tricks().pack()).isEqualTo(1);
        assertThat(record.config().model().labelScale()).isEqualTo(1);
        if (List.of("1-", "2-", "3-", "4-", "5-", "6-", "7-").stream().anyMatch(shape::startsWith)) {
            assertThat(record.config().engine()).as("runs before --engine trained through the graphs")
                    .isEqualTo(Engine.GRAPH);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void aRunOfEveryShapeEverWrittenResumes(String shape, @TempDir Path tmp) throws Exception {
        Path run = copy(shape, tmp.resolve("run"));

        var resumed = CliRunnerAccess.run("train", "--resume", run.toString(), "--epochs", "2", "--quiet");

        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(Files.readAllLines(run.resolve(RunLayout.METRICS)).stream().skip(1)
                .filter(line -> !line.isBlank())).hasSize(2);
    }
}
