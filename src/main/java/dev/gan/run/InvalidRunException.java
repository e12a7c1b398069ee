package dev.gan.run;

/**
 * A run directory, or a file in it, cannot be used as asked: not a gan run, a corrupt config.json, a
 * config.json that no longer matches its checkpoints, nothing left to train. The user's input is at fault
 * (exit 2); the message names the file and what is wrong.
 */
public class InvalidRunException extends RuntimeException {
    public InvalidRunException(String message) {
        super(message);
    }

    public InvalidRunException(String message, Throwable cause) {
        super(message, cause);
    }
}
