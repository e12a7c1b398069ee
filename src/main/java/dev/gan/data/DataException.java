package dev.gan.data;

/**
 * A data file or data location is unusable: missing, corrupt, inconsistent or not what it claims to be.
 * The message is one line that names the file and what is wrong, fit to show a user as it is.
 */
public class DataException extends Exception {
    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
