package dev.gan.data;

import dev.gan.util.AtomicFiles;
import dev.gan.util.Checksums;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Fetches the gzip files of an MNIST-format data set from a list of mirrors, verifying each against its
 * published MD5. A file is written to a temporary name and renamed only once its checksum matches, so an
 * interrupted or corrupt download never leaves a file that looks complete.
 */
public final class MnistDownloader {

    private final HttpClient http;
    private final Duration requestTimeout;

    public MnistDownloader() {
        this(Duration.ofSeconds(20), Duration.ofMinutes(10));
    }

    public MnistDownloader(Duration connectTimeout, Duration requestTimeout) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.requestTimeout = requestTimeout;
    }

    /**
     * Downloads every file of {@code split} that {@code dir} lacks, trying {@code mirrors} in order.
     * Throws DataException when a file cannot be had from any mirror, naming each mirror's failure.
     */
    public void downloadMissing(DatasetName dataset, Split split, Path dir, List<String> mirrors,
                                DownloadListener listener) throws DataException {
        List<String> missing = DataFiles.missing(dir, split);
        if (missing.isEmpty()) {
            return;
        }
        Path created = outermostMissing(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DataException(dir + ": cannot create data directory (" + e.getMessage() + ")", e);
        }
        try {
            for (String fileName : missing) {
                download(fileName, dataset.md5Of(fileName), dataset.contentMd5Of(fileName), dir.resolve(fileName),
                        mirrors, listener);
            }
        } catch (DataException | RuntimeException e) {
            removeEmpty(dir, created);
            throw e;
        }
    }

    /** The outermost folder on the way to {@code dir} that does not exist yet, null when {@code dir} exists. */
    private static Path outermostMissing(Path dir) {
        Path missing = null;
        for (Path p = dir.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) {
            missing = p;
        }
        return missing;
    }

    /**
     * After a failed download: the folders this download made, from {@code dir} up to {@code created}, go again
     * while empty (a file that did arrive keeps its folder: the next try fetches only the rest).
     */
    private static void removeEmpty(Path dir, Path created) {
        if (created == null) {
            return;
        }
        for (Path p = dir.toAbsolutePath(); p != null && p.startsWith(created); p = p.getParent()) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                return; // not empty (or not ours to judge): leave it and everything above
            }
        }
    }

    /** Downloads one file from the first mirror that serves it with the expected MD5. */
    public void download(String fileName, String expectedMd5, Path target, List<String> mirrors,
                         DownloadListener listener) throws DataException {
        download(fileName, expectedMd5, null, target, mirrors, listener);
    }

    /**
     * As above; a gzip file with other bytes whose uncompressed content has {@code contentMd5} (unless null) is
     * accepted too: the same data, compressed again by the mirror.
     */
    public void download(String fileName, String expectedMd5, String contentMd5, Path target, List<String> mirrors,
                         DownloadListener listener) throws DataException {
        List<String> failures = new ArrayList<>();
        for (String mirror : mirrors) {
            String url = mirror.endsWith("/") ? mirror + fileName : mirror + "/" + fileName;
            try {
                fetch(url, fileName, expectedMd5, contentMd5, target, listener);
                listener.finished(fileName);
                return;
            } catch (IOException | IllegalArgumentException e) {
                String reason = e.getMessage() == null ? "network error (" + e.getClass().getSimpleName() + ")"
                        : e.getMessage();
                failures.add(url + ": " + reason);
                listener.mirrorFailed(fileName, url, reason);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DownloadException(fileName + ": download interrupted", e);
            }
        }
        throw new DownloadException(fileName + ": could not be downloaded from " + (failures.size() == 1 ? "its mirror"
                : "any of " + failures.size() + " mirrors") + " (last: " + failures.get(failures.size() - 1) + ")");
    }

    private void fetch(String url, String fileName, String expectedMd5, String contentMd5, Path target,
                       DownloadListener listener) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(requestTimeout).GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            listener.started(fileName, url, total);
            MessageDigest md5 = Checksums.newMd5();
            AtomicFiles.writeFile(target, tmp -> {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    copy(body, out, md5, total, fileName, listener);
                }
                String actual = Checksums.hex(md5);
                if (expectedMd5 != null && !expectedMd5.equalsIgnoreCase(actual)) {
                    String content = contentMd5 == null ? null : Checksums.gzipContentMd5(tmp);
                    if (content == null || !contentMd5.equalsIgnoreCase(content)) {
                        throw new IOException("checksum mismatch: MD5 " + actual + ", expected " + expectedMd5
                                + (contentMd5 == null ? "" : " (or uncompressed " + contentMd5 + ", got "
                                + (content == null ? "no gzip data (an error page?)" : content) + ")"));
                    }
                }
            });
        }
    }

    private static void copy(InputStream in, OutputStream out, MessageDigest md5, long total, String fileName,
                             DownloadListener listener) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long copied = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
            md5.update(buffer, 0, n);
            copied += n;
            listener.progressed(fileName, copied);
        }
        if (total >= 0 && copied != total) {
            throw new IOException("connection closed after " + copied + " of " + total + " bytes");
        }
    }
}
