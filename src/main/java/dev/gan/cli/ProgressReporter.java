package dev.gan.cli;

import dev.gan.data.DownloadListener;
import dev.gan.train.EpochStats;
import dev.gan.train.IterationStats;
import dev.gan.train.TrainingListener;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Shows training and download progress: a bar on a terminal, plain lines when output is redirected, nothing
 * but errors with {@code --quiet}.
 */
final class ProgressReporter implements TrainingListener, DownloadListener {

    enum Mode { BAR, LINES, QUIET }

    private final Mode mode;
    private final PrintWriter out;
    private int totalEpochs;
    private int batchesPerEpoch;
    private int batchSize;
    private ProgressBar bar;

    ProgressReporter(Mode mode, PrintWriter out) {
        this.mode = mode;
        this.out = out;
    }

    /** A bar when stdout is an interactive terminal, lines otherwise; quiet wins. */
    static Mode chooseMode(boolean quiet) {
        if (quiet) {
            return Mode.QUIET;
        }
        return System.console() != null ? Mode.BAR : Mode.LINES;
    }

    void batchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    @Override
    public void started(int completedEpochs, int totalEpochs, int batchesPerEpoch) {
        this.totalEpochs = totalEpochs;
        this.batchesPerEpoch = batchesPerEpoch;
        if (mode != Mode.QUIET && completedEpochs >= totalEpochs) {
            out.printf("nothing left to train: all %d epochs are done (give --epochs N, more than %d, to go on)%n",
                    totalEpochs, totalEpochs);
        } else if (mode != Mode.QUIET && completedEpochs > 0) {
            out.printf("resuming after epoch %d of %d%n", completedEpochs, totalEpochs);
        }
    }

    @Override
    public void iteration(int epoch, int batch, IterationStats stats) {
        if (mode != Mode.BAR) {
            return;
        }
        if (bar == null) {
            bar = new ProgressBarBuilder()
                    .setTaskName(String.format("epoch %d/%d", epoch, totalEpochs))
                    .setInitialMax((long) batchesPerEpoch * batchSize)
                    .setUnit(" img", 1)
                    .showSpeed()
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(new PrintStream(System.err, true)))
                    .build();
        }
        bar.stepTo((long) batch * batchSize);
        bar.setExtraMessage(String.format(Locale.ROOT, " d=%.3f g=%.3f", stats.dLoss(), stats.gLoss()));
    }

    @Override
    public void epochFinished(EpochStats stats) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        if (mode != Mode.QUIET) {
            out.printf(Locale.ROOT, "epoch %d/%d  d_loss %.4f  g_loss %.4f  D(x) %.3f  D(G(z)) %.3f  %.1fs  %.0f images/s%n",
                    stats.epoch(), totalEpochs, stats.dLoss(), stats.gLoss(), stats.dReal(), stats.dFake(),
                    stats.seconds(), stats.imagesPerSecond());
        }
    }

    @Override
    public void sampleWritten(Path grid) {
        if (mode != Mode.QUIET) {
            out.println("  samples: " + grid);
        }
    }

    @Override
    public void checkpointWritten(Path checkpoint) {
        if (mode != Mode.QUIET) {
            out.println("  checkpoint: " + checkpoint);
        }
    }

    // Downloads

    private long lastReported;

    @Override
    public void started(String fileName, String url, long totalBytes) {
        lastReported = 0;
        if (mode == Mode.QUIET) {
            return;
        }
        if (mode == Mode.BAR) {
            bar = new ProgressBarBuilder().setTaskName(fileName).setInitialMax(Math.max(totalBytes, 0))
                    .setUnit(" KiB", 1024).showSpeed().setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(new PrintStream(System.err, true))).build();
        } else {
            out.println("downloading " + url + (totalBytes >= 0 ? " (" + totalBytes + " bytes)" : ""));
        }
    }

    @Override
    public void progressed(String fileName, long bytesSoFar) {
        if (bar != null) {
            bar.stepTo(bytesSoFar);
        } else if (mode == Mode.LINES && bytesSoFar - lastReported >= 4 << 20) {
            lastReported = bytesSoFar;
            out.println("  " + fileName + ": " + (bytesSoFar >> 20) + " MiB");
        }
    }

    @Override
    public void finished(String fileName) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        if (mode == Mode.LINES) {
            out.println("  " + fileName + ": done, checksum verified");
        }
    }

    @Override
    public void mirrorFailed(String fileName, String url, String reason) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        if (mode != Mode.QUIET) {
            out.println("  " + url + " failed: " + reason + "; trying the next mirror");
        }
    }
}
