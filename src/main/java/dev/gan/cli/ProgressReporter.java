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
 * Shows training and download progress: on a terminal one bar for the whole run (epoch, images/s, elapsed and
 * the time to the last epoch), plain lines per epoch when output is redirected, nothing but errors with
 * {@code --quiet}.
 */
final class ProgressReporter implements TrainingListener, DownloadListener, AutoCloseable {

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
        if (mode == Mode.BAR && completedEpochs < totalEpochs) {
            // One bar for the whole run: an epoch on MNIST takes about a second, too short for a bar (and a rate
            // and an ETA) of its own; over the run, the ETA is the time to the last epoch.
            out.flush();
            long done = imagesAt(completedEpochs, 0);
            bar = new ProgressBarBuilder()
                    .setTaskName("train")
                    .setInitialMax(imagesAt(totalEpochs, 0))
                    .startsFrom(done, java.time.Duration.ZERO)
                    .setUnit(" img", 1)
                    .showSpeed()
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250)
                    .setConsumer(new OnceClosedConsumer(new PrintStream(System.err, true)))
                    .build();
            bar.setExtraMessage(String.format(Locale.ROOT, " epoch %d/%d", completedEpochs + 1, totalEpochs));
        }
    }

    private long imagesAt(int epochs, int batches) {
        return ((long) epochs * batchesPerEpoch + batches) * batchSize;
    }

    @Override
    public void iteration(int epoch, int batch, IterationStats stats) {
        if (bar != null) {
            bar.stepTo(imagesAt(epoch - 1, batch));
            bar.setExtraMessage(String.format(Locale.ROOT, " epoch %d/%d d=%.3f g=%.3f", epoch, totalEpochs,
                    stats.dLoss(), stats.gLoss()));
        }
    }

    @Override
    public void epochFinished(EpochStats stats) {
        if (mode == Mode.LINES) {
            out.printf(Locale.ROOT, "epoch %d/%d  d_loss %.4f  g_loss %.4f  D(x) %.3f  D(G(z)) %.3f  %.1fs  %.0f images/s%n",
                    stats.epoch(), totalEpochs, stats.dLoss(), stats.gLoss(), stats.dReal(), stats.dFake(),
                    stats.seconds(), stats.imagesPerSecond());
        }
        if (bar != null && stats.epoch() == totalEpochs) {
            close();
        }
    }

    @Override
    public void sampleWritten(Path grid) {
        if (mode == Mode.LINES) {
            out.println("  samples: " + grid);
        }
    }

    @Override
    public void checkpointWritten(Path checkpoint) {
        if (mode == Mode.LINES) {
            out.println("  checkpoint: " + checkpoint);
        }
    }

    // Counted work (eval's samples)

    /** Work redirected output reports in lines: shorter work is over before a line would help. */
    static final long LINES_FROM = 50_000;

    /** Progress through a count of items; closing ends a bar. */
    interface Count extends AutoCloseable {
        void stepTo(long done);

        @Override
        void close();
    }

    /**
     * Progress through {@code total} {@code unit}s of {@code task}: a bar on a terminal, a line at every tenth when
     * output is redirected and there are at least {@link #LINES_FROM}, else nothing.
     */
    Count count(String task, String unit, long total) {
        if (mode == Mode.BAR) {
            out.flush();
            ProgressBar counted = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" " + unit, 1)
                    .showSpeed().setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                    .setConsumer(new OnceClosedConsumer(new PrintStream(System.err, true))).build();
            return new Count() {
                @Override
                public void stepTo(long done) {
                    counted.stepTo(done);
                }

                @Override
                public void close() {
                    counted.close();
                }
            };
        }
        boolean lines = mode == Mode.LINES && total >= LINES_FROM;
        return new Count() {
            private long next = total / 10;

            @Override
            public void stepTo(long done) {
                if (lines && done >= next && done < total) {
                    out.printf(Locale.ROOT, "  %s: %d of %d %s%n", task, done, total, unit);
                    out.flush();
                    next = (done / (total / 10) + 1) * (total / 10);
                }
            }

            @Override
            public void close() {
            }
        };
    }

    /** Ends a bar still showing (a run stopped or failed before its last epoch), so later lines start clean. */
    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
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
                    .setConsumer(new OnceClosedConsumer(new PrintStream(System.err, true))).build();
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

    /**
     * The bar's console output, silent once closed: the library refreshes from a timer thread, and a refresh
     * that lands after close() drew the finished bar a second time on a line of its own.
     */
    private static final class OnceClosedConsumer extends ConsoleProgressBarConsumer {
        private boolean closed;

        OnceClosedConsumer(PrintStream out) {
            super(out);
        }

        @Override
        public synchronized void accept(String rendered) {
            if (!closed) {
                super.accept(rendered);
            }
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                super.close();
            }
        }
    }
}
