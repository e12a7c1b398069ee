package dev.gan.cli;

import picocli.CommandLine.Option;

/** {@code --json}: machine-readable output, for every command that prints a result. */
final class JsonOption {

    @Option(names = "--json", description = "Print the result as JSON instead of text: one object per line (a run, "
            + "a model, a report).")
    boolean enabled;
}
