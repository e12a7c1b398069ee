package dev.gan.cli;

import dev.gan.model.GeneratorFile;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * Which generator a command uses: {@code --run RUN_DIR} or {@code --model FILE} (exclusive), else the newest
 * finished run in {@code --runs}. An argument group (eval's adds --images to the same choice, and picocli's
 * annotation processor sees no options a group class inherits, so eval declares its own).
 */
final class GeneratorSource {

    @Option(names = "--run", paramLabel = "RUN_DIR", required = true,
            description = "A run directory: its generator.zip (default: the newest finished run in --runs).")
    Path run;

    @Option(names = "--model", paramLabel = "FILE", required = true,
            description = "A generator.zip, or a checkpoint (directory or its generator.zip).")
    Path model;

    /** The generator file a user means (see {@link GeneratorFile#locate}). */
    Path file() {
        return GeneratorFile.locate(run, model);
    }

    /** {@code given} (as parsed, or null when none was), else a source naming the newest finished run. */
    static GeneratorSource orNewest(GeneratorSource given, RunsOption runs, PrintWriter err, String command)
            throws IOException {
        if (given != null) {
            return given;
        }
        GeneratorSource newest = new GeneratorSource();
        newest.run = runs.newestFinished(err, command);
        return newest;
    }
}
