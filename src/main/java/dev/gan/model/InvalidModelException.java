package dev.gan.model;

/** A model file is missing, corrupt or not what the tool expects; the message names the file. */
public class InvalidModelException extends Exception {
    public InvalidModelException(String message) {
        super(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
