package dev.gan.data;

/** Data could not be fetched (network, server or checksum failure): a runtime failure, not bad input. */
public class DownloadException extends DataException {
    public DownloadException(String message) {
        super(message);
    }

    public DownloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
