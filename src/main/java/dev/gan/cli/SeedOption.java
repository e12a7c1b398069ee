package dev.gan.cli;

import dev.gan.config.GanConfig;
import picocli.CommandLine.Option;

/** {@code --seed}: every random choice of a command follows from it; the same seed gives the same result. */
final class SeedOption {

    @Option(names = "--seed", paramLabel = "S", defaultValue = "" + GanConfig.DEFAULT_SEED,
            description = "Seed of every random choice: the same seed gives the same result (default: ${DEFAULT-VALUE}).")
    long seed = GanConfig.DEFAULT_SEED;
}
