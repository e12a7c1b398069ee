package dev.gan.cli;

import picocli.CommandLine;

import java.util.Locale;
import java.util.Map;

/**
 * Every option can also be set by an environment variable {@code GAN_<OPTION>}: {@code --lr-d} is
 * {@code GAN_LR_D}, {@code --batch-size} is {@code GAN_BATCH_SIZE}. The command line wins over the environment; a
 * variable set to nothing counts as not set. Except {@code --force} and {@code --overwrite}: replacing what is there
 * is asked for by each command (on its line or in its argument file), never by a variable that a shell profile
 * would set for every later command.
 */
final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {

    /** The options that let a command write over what is there: never taken from the environment. */
    static final java.util.Set<String> ASKED_EACH_TIME = java.util.Set.of("--force", "--overwrite");

    private final Map<String, String> environment;

    EnvironmentDefaults(Map<String, String> environment) {
        this.environment = environment;
    }

    static String variableFor(String longestOptionName) {
        return "GAN_" + longestOptionName.replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec argSpec) {
        String value = argSpec instanceof CommandLine.Model.OptionSpec option ? fromEnvironment(option) : null;
        return value != null ? value : argSpec.defaultValue();
    }

    /** The value the environment gives {@code option}, or null where it gives none. */
    String fromEnvironment(CommandLine.Model.OptionSpec option) {
        if (option.usageHelp() || option.versionHelp() || ASKED_EACH_TIME.contains(option.longestName())) {
            return null;
        }
        String value = environment.get(variableFor(option.longestName()));
        return value == null || value.isEmpty() ? null : value; // an empty variable is an unset one, as in ${VAR:-}
    }
}
