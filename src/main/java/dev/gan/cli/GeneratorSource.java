package dev.gan.cli;

import dev.gan.experiment.ExperimentRunner;
import dev.gan.model.GeneratorFile;
import dev.gan.model.InvalidModelException;
import dev.gan.run.Checkpoints;
import dev.gan.run.RunLayout;
import dev.gan.util.Shell;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

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

    /** {@link #file()}, refused unless it is there (see {@link #existing}). */
    Path existingFile() throws InvalidModelException, IOException {
        return existing(run, model);
    }

    /**
     * The generator file of {@code run} or {@code model}, refused unless it is there. A run writes its
     * generator.zip when it ends, so one still training (or stopped) is told apart from a wrong path, and pointed
     * at its newest checkpoint, which --model draws from; an experiment folder is pointed at its runs.
     */
    static Path existing(Path run, Path model) throws InvalidModelException, IOException {
        RunLayout layout = run == null ? null : new RunLayout(run);
        if (layout != null && !Files.exists(layout.generator())) {
            if (Files.isRegularFile(layout.config())) {
                List<Path> checkpoints = new Checkpoints(layout.checkpoints(), 0).complete();
                throw new InvalidModelException(run + ": no generator.zip yet (a run writes it when it ends; this one "
                        + "is still training, or was stopped)" + (checkpoints.isEmpty() ? ", and no checkpoint yet"
                        : "; --model " + Shell.quote(checkpoints.get(checkpoints.size() - 1)) + " draws from its newest checkpoint"));
            }
            if (ExperimentRunner.isExperimentFolder(run)) {
                List<String> runs;
                try (Stream<Path> entries = Files.list(run)) {
                    runs = entries.filter(p -> Files.isRegularFile(new RunLayout(p).config())).sorted()
                            .map(Shell::quote).toList();
                }
                throw new InvalidModelException(run + ": an experiment folder, not a run" + (runs.isEmpty() ? ""
                        : "; --run one of its runs: " + String.join(", ", runs.subList(0, Math.min(3, runs.size())))
                        + (runs.size() > 3 ? ", ..." : "")));
            }
        }
        return GeneratorFile.locateExisting(run, model);
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
