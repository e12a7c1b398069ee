package dev.gan.cli;

/** The user asked for something that cannot be done as asked (exit 2); the message says what and why. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
