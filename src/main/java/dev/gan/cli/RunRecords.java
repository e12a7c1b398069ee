package dev.gan.cli;

import dev.gan.run.CollapseWatch;
import dev.gan.run.MetricsTable;
import dev.gan.run.RunLayout;
import dev.gan.run.RunRecord;

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
        return of(directoryOf(run, model));
    }

    /** {@code run}, else the run directory holding the generator file {@code model}; null when there is none. */
    static Path directoryOf(Path run, Path model) {
        if (run != null || model == null) {
            return run;
        }
        Path dir = model.toAbsolutePath().getParent();
        for (int i = 0; i < LEVELS_UP && dir != null; i++, dir = dir.getParent()) {
            if (of(dir) != null) {
                return dir;
            }
        }
        return null;
    }

    /**
     * Refuses a run whose config.json names a data folder that no longer holds the images the run recorded
     * training on (their SHA-256): a classifier trained there, or a judgement against it, would be of other data.
     */
    static void requireRecordedData(RunRecord record, Path runDir) throws dev.gan.data.DataException {
        var recorded = record.data();
        var dataDir = record.config().data().dataDir();
        var missing = dev.gan.data.DataFiles.missing(dataDir, record.config().data().split());
        if (!missing.isEmpty()) {
            throw new dev.gan.data.DataException(runDir.resolve(RunLayout.CONFIG) + ": the data the run trained on is no "
                    + "longer in " + dataDir + " (missing " + String.join(", ", missing) + "; moved or deleted?): give "
                    + "--data DIR, or --classifier FILE");
        }
        try {
            var files = dev.gan.data.DataFiles.locate(dataDir, record.config().data().split());
            if (recorded.imagesSha256() != null
                    && !recorded.imagesSha256().equals(dev.gan.util.Checksums.sha256(files.images()))) {
                throw new dev.gan.data.DataException(runDir.resolve(RunLayout.CONFIG) + ": its data folder " + dataDir
                        + " does not hold the images the run trained on (" + files.images().getFileName()
                        + " has another SHA-256 than recorded): give --data DIR, or --classifier FILE");
            }
        } catch (IOException e) {
            throw new dev.gan.data.DataException(dataDir + ": cannot read the run's data (" + e.getMessage() + ")", e);
        }
    }

    /**
     * What the run's last metrics.csv row says of a collapse (see CollapseWatch), as one line; null when it
     * ended healthy, has no such column (older runs) or cannot be read.
     */
    static String collapseAtEnd(Path runDir) {
        if (runDir == null || !Files.isRegularFile(runDir.resolve(RunLayout.METRICS))) {
            return null;
        }
        try {
            MetricsTable table = MetricsTable.read(runDir.resolve(RunLayout.METRICS));
            double[] last = table.last();
            double code = last == null ? Double.NaN : table.value(last, MetricsTable.COLLAPSE);
            if (Double.isNaN(code) || code == 0) {
                return null;
            }
            return "this model collapsed in training: "
                    + CollapseWatch.describe(CollapseWatch.Verdict.ofCode((int) code), (int) last[0]);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
