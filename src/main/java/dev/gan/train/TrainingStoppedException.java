package dev.gan.train;

/** The run was asked to stop (Ctrl-C, SIGTERM) and has written a checkpoint at the current iteration. */
public class TrainingStoppedException extends RuntimeException {
    public TrainingStoppedException(String message) {
        super(message);
    }
}
