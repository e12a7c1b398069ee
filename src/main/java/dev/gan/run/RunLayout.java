package dev.gan.run;

import dev.gan.model.GeneratorFile;

import java.nio.file.Path;
import java.util.Set;

/**
 * What a run directory holds, and where: the one place its file names are spelled, for the code that writes a
 * run (train, eval) and the code that reads it (report, experiment, the commands).
 */
public record RunLayout(Path root) {

    public static final String CONFIG = "config.json";
    public static final String METRICS = "metrics.csv";
    public static final String SAMPLES = "samples";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String GENERATOR = GeneratorFile.FILE_NAME;
    public static final String LOG = "train.log";
    public static final String EVAL = "eval.json";
    public static final String REPORT = "report.html";
    public static final String PLOTS = "plots";
    public static final String LOCK = ".lock";

    /** Every name a run (and the commands that read runs) write at the top of a run directory. */
    public static final Set<String> ENTRIES = Set.of(CONFIG, METRICS, SAMPLES, CHECKPOINTS, GENERATOR, LOG, EVAL,
            REPORT, PLOTS, LOCK);

    public Path config() {
        return root.resolve(CONFIG);
    }

    public Path metrics() {
        return root.resolve(METRICS);
    }

    public Path samples() {
        return root.resolve(SAMPLES);
    }

    public Path sampleGrid(int epoch) {
        return samples().resolve(String.format("epoch-%03d.png", epoch));
    }

    public Path checkpoints() {
        return root.resolve(CHECKPOINTS);
    }

    public Path generator() {
        return root.resolve(GENERATOR);
    }

    public Path log() {
        return root.resolve(LOG);
    }

    public Path eval() {
        return root.resolve(EVAL);
    }

    public Path report() {
        return root.resolve(REPORT);
    }

    public Path plots() {
        return root.resolve(PLOTS);
    }

    public Path lock() {
        return root.resolve(LOCK);
    }
}
