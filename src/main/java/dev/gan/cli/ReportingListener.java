package dev.gan.cli;

import dev.gan.report.RunReport;
import dev.gan.run.Ownership;
import dev.gan.train.EpochStats;
import dev.gan.train.IterationStats;
import dev.gan.train.TrainingListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Passes progress on and refreshes plots and report.html whenever a sample grid is written. */
final class ReportingListener implements TrainingListener {

    private final TrainingListener progress;
    private final Path runDir;
    private final java.io.PrintWriter err;
    /** Whether report.html turned out to be the user's, not gan's. */
    private boolean reportRefused;

    /** @param err where warnings go, also under --quiet */
    ReportingListener(TrainingListener progress, Path runDir, java.io.PrintWriter err) {
        this.progress = progress;
        this.runDir = runDir;
        this.err = err;
    }

    @Override
    public void warning(String message) {
        err.println("gan train: " + message);
        err.flush();
    }

    @Override
    public void started(int completedEpochs, int totalEpochs, int batchesPerEpoch) {
        progress.started(completedEpochs, totalEpochs, batchesPerEpoch);
    }

    @Override
    public void iteration(int epoch, int batch, IterationStats stats) {
        progress.iteration(epoch, batch, stats);
    }

    @Override
    public void epochFinished(EpochStats stats) {
        progress.epochFinished(stats);
    }

    @Override
    public void sampleWritten(Path grid) {
        progress.sampleWritten(grid);
        refreshReport();
    }

    /**
     * Rewrites the plots and report.html; a report.html gan did not write is left as it is, said once, and not
     * tried again.
     */
    void refreshReport() {
        if (reportRefused) {
            return;
        }
        try {
            RunReport.write(runDir);
        } catch (Ownership.NotReplaceableException e) {
            reportRefused = true;
            warning(e.getMessage().replace("(use --force to replace it)", "(left as it is; gan report --force "
                    + runDir + " replaces it)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void checkpointWritten(Path checkpoint) {
        progress.checkpointWritten(checkpoint);
    }
}
