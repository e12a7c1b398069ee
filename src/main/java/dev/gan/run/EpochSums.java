package dev.gan.run;

/**
 * The running sums of an unfinished epoch's iteration statistics, kept in a mid-epoch checkpoint: a run
 * resumed from it adds the rest of the epoch to these very sums, so its metrics.csv row is the one an
 * uninterrupted run writes. {@code seconds} is the training time the epoch had taken when it was stopped.
 */
public record EpochSums(int batches, double dLoss, double gLoss, double dSquares, double gSquares, double dReal,
                        double dFake, double seconds) {
}
