package dev.gan.cli;

import dev.gan.run.RunLayout;
import dev.gan.train.RunRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The record (config.json) of the run a command's generator comes from, where there is one. */
final class RunRecords {

    /** How far above a --model file its run directory may be (run/checkpoints/epoch-010/generator.zip). */
    private static final int LEVELS_UP = 4;

    private RunRecords() {
    }

    /** The record of run directory {@code run}; null without one or when it cannot be read. */
    static RunRecord of(Path run) {
        if (run == null || !Files.isRegularFile(run.resolve(RunLayout.CONFIG))) {
            return null;
        }
        try {
            return RunRecord.read(run.resolve(RunLayout.CONFIG));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The record of {@code run}, else of the run directory holding the generator file {@code model}. */
    static RunRecord forGenerator(Path run, Path model) {
        if (run != null || model == null) {
            return of(run);
        }
        Path dir = model.toAbsolutePath().getParent();
        for (int i = 0; i < LEVELS_UP && dir != null; i++, dir = dir.getParent()) {
            RunRecord record = of(dir);
            if (record != null) {
                return record;
            }
        }
        return null;
    }
}
