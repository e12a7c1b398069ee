package dev.gan.system;

/** The build's ND4J backend cannot start on this machine (a runtime failure, exit 1). */
public class BackendUnavailableException extends RuntimeException {
    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
