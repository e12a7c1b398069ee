package dev.gan.train;

import java.nio.file.Path;

/** What a training run reports while it goes; the command line renders it (bar, log lines or nothing). */
public interface TrainingListener {

    TrainingListener NONE = new TrainingListener() { };

    /** Training (re)starts after {@code completedEpochs} epochs of {@code totalEpochs}. */
    default void started(int completedEpochs, int totalEpochs, int batchesPerEpoch) {
    }

    /** After each iteration; {@code batch} counts from 1 within the epoch. */
    default void iteration(int epoch, int batch, IterationStats stats) {
    }

    default void epochFinished(EpochStats stats) {
    }

    default void sampleWritten(Path grid) {
    }

    default void checkpointWritten(Path checkpoint) {
    }

    /** Something the user should know that does not stop the run, e.g. an unreadable checkpoint passed over. */
    default void warning(String message) {
    }
}
