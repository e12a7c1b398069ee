package dev.gan.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EnvironmentDefaultsTest {

    private static Object valueOf(String option, Map<String, String> environment, String... args) {
        CommandLine cli = GanCli.configure(new CommandLine(new TrainCommand()));
        cli.setDefaultValueProvider(new EnvironmentDefaults(environment));
        cli.parseArgs(args);
        return cli.getCommandSpec().findOption(option).getValue();
    }

    @Test
    void aGanVariableSetsItsOptionAndTheCommandLineWins() {
        assertThat(valueOf("--epochs", Map.of("GAN_EPOCHS", "7"))).isEqualTo(7);
        assertThat(valueOf("--epochs", Map.of("GAN_EPOCHS", "7"), "--epochs", "3")).isEqualTo(3);
    }

    @Test
    void writingOverWhatIsThereIsNeverSetByAVariable() throws Exception {
        assertThat(valueOf("--overwrite", Map.of("GAN_OVERWRITE", "true"))).isEqualTo(false);
        assertThat(valueOf("--overwrite", Map.of(), "--overwrite")).isEqualTo(true);

        java.nio.file.Path mine = java.nio.file.Files.createTempFile("mine", ".json");
        try {
            java.nio.file.Files.writeString(mine, "precious");
            assertThat(errorOf(Map.of("GAN_FORCE", "true"), "eval", "--images", mine.toString(), "--out",
                    mine.toString())).contains(mine + ": already exists", "--force");
            assertThat(mine).hasContent("precious");
        } finally {
            java.nio.file.Files.delete(mine);
        }
    }

    @Test
    void aVariableSetToNothingCountsAsNotSet() {
        Map<String, String> empty = Map.of("GAN_EPOCHS", "", "GAN_RUNS", "");

        assertThat(valueOf("--epochs", empty)).isEqualTo(valueOf("--epochs", Map.of()));
        assertThat(valueOf("--runs", empty)).isEqualTo(valueOf("--runs", Map.of()));
    }

    private static String errorOf(Map<String, String> environment, String... args) {
        java.io.StringWriter err = new java.io.StringWriter();
        int code = GanCli.newCommandLine(new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err),
                environment).execute(args);
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        return err.toString().strip();
    }

    @Test
    void aBadValueFromAVariableNamesTheVariable() {
        assertThat(errorOf(Map.of("GAN_THREADS", "abc"), "info"))
                .isEqualTo("gan info: Invalid value for option '--threads': 'abc' is not an int (from GAN_THREADS)");
        assertThat(errorOf(Map.of("GAN_THREADS", "0"), "info")).endsWith("must be positive, got 0 (from GAN_THREADS)");
        assertThat(errorOf(Map.of("GAN_THREADS", "0"), "info", "--threads", "x"))
                .as("the command line's own value is the culprit").doesNotContain("GAN_THREADS");
        assertThat(errorOf(Map.of(), "info", "--threads", "0")).doesNotContain("GAN_");
        assertThat(errorOf(Map.of("GAN_EPOCHS", "0"), "train"))
                .isEqualTo("gan train: Invalid value for option '--epochs': must be positive, got 0 (from GAN_EPOCHS)");
    }
}
