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
    void aVariableSetToNothingCountsAsNotSet() {
        Map<String, String> empty = Map.of("GAN_EPOCHS", "", "GAN_RUNS", "");

        assertThat(valueOf("--epochs", empty)).isEqualTo(valueOf("--epochs", Map.of()));
        assertThat(valueOf("--runs", empty)).isEqualTo(valueOf("--runs", Map.of()));
    }
}
