package dev.gan.data;

/** Hears how a download goes; the command line turns this into a progress bar or log lines. */
public interface DownloadListener {

    DownloadListener NONE = new DownloadListener() { };

    /** A file starts downloading; {@code totalBytes} is -1 when the server does not say. */
    default void started(String fileName, String url, long totalBytes) {
    }

    default void progressed(String fileName, long bytesSoFar) {
    }

    default void finished(String fileName) {
    }

    /** One mirror failed for this file; the next one will be tried. */
    default void mirrorFailed(String fileName, String url, String reason) {
    }
}
