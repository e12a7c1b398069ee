package dev.gan.cli;

import dev.gan.config.GanConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** How gan train's options reach a run's configuration: by name, one option per setting. */
class TrainOptionsTest {

    @Test
    void everySettingOfARunIsTheGanTrainOptionOfItsName() {
        CommandLine cli = GanCli.configure(new CommandLine(new TrainCommand()));
        Set<String> reached = new TreeSet<>();
        for (var option : cli.getCommandSpec().options()) {
            String field = TrainCommand.configField(option);
            if (field != null) {
                reached.add(field);
            }
        }

        Set<String> settings = new TreeSet<>(GanConfig.fields());
        settings.remove("dataDir"); // --data, resolved to an absolute folder first
        assertThat(reached).isEqualTo(settings);
    }

    @Test
    void anOptionThatIsNotASettingReachesNoField() {
        CommandLine cli = GanCli.configure(new CommandLine(new TrainCommand()));

        assertThat(TrainCommand.configField(cli.getCommandSpec().findOption("--out"))).isNull();
        assertThat(TrainCommand.configField(cli.getCommandSpec().findOption("--label-smoothing")))
                .isEqualTo("labelSmoothing");
        assertThat(TrainCommand.configField(cli.getCommandSpec().findOption("--lr-d"))).isEqualTo("lrD");
    }
}
