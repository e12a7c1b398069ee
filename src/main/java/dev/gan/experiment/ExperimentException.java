package dev.gan.experiment;

/** The experiment file is unusable; the message names the file and, where it can, the line. */
public class ExperimentException extends Exception {
    public ExperimentException(String message) {
        super(message);
    }
}
