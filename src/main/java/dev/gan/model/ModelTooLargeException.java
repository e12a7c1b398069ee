package dev.gan.model;

/** A model (or a batch of it) would need more memory than gan may use; the message gives both figures. */
public class ModelTooLargeException extends RuntimeException {
    public ModelTooLargeException(String message) {
        super(message);
    }
}
