package dev.gan.data;

import com.sun.net.httpserver.HttpServer;
import dev.gan.util.Checksums;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The downloader against a server on 127.0.0.1 started by the test: never a real host. */
class MnistDownloaderTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private byte[] payload;
    private String md5;
    private final List<String> requests = new ArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        payload = IdxFixtures.gzip(IdxFixtures.labels(7, 2, 1, 0, 4));
        Path tmp = Files.write(dir.resolve("payload"), payload);
        md5 = Checksums.md5(tmp);
        Files.delete(tmp);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/good/", exchange -> {
            requests.add(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(200, payload.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(payload);
            }
        });
        server.createContext("/corrupt/", exchange -> {
            requests.add(exchange.getRequestURI().getPath());
            byte[] wrong = payload.clone();
            wrong[wrong.length / 2] ^= 0x55;
            exchange.sendResponseHeaders(200, wrong.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(wrong);
            }
        });
        server.createContext("/recompressed/", exchange -> {
            requests.add(exchange.getRequestURI().getPath());
            byte[] again = recompressed(IdxFixtures.labels(7, 2, 1, 0, 4));
            exchange.sendResponseHeaders(200, again.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(again);
            }
        });
        server.createContext("/portal/", exchange -> {
            requests.add(exchange.getRequestURI().getPath());
            byte[] page = "<html><body>Please log in to the network</body></html>".getBytes();
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
        });
        server.createContext("/missing/", exchange -> {
            requests.add(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.createContext("/dropping/", exchange -> {
            requests.add(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(200, payload.length);
            OutputStream out = exchange.getResponseBody();
            out.write(payload, 0, payload.length / 2);
            out.flush();
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String url(String context) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + context + "/";
    }

    private MnistDownloader downloader() {
        return new MnistDownloader(Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    private List<Path> filesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        }
    }

    @Test
    void downloadsAFileAndVerifiesItsChecksum() throws Exception {
        Path target = dir.resolve("t10k-labels-idx1-ubyte.gz");

        downloader().download(target.getFileName().toString(), md5, target, List.of(url("good")), DownloadListener.NONE);

        assertThat(target).hasBinaryContent(payload);
        assertThat(IdxReader.readLabels(target, 10).data()).containsExactly(7, 2, 1, 0, 4);
        assertThat(requests).containsExactly("/good/t10k-labels-idx1-ubyte.gz");
    }

    /** The same bytes gzipped without compression: another .gz file of the same content. */
    private static byte[] recompressed(byte[] content) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out) {
            {
                def.setLevel(java.util.zip.Deflater.NO_COMPRESSION);
            }
        }) {
            gz.write(content);
        }
        return out.toByteArray();
    }

    private static String md5Of(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(bytes));
    }

    @Test
    void aMirrorThatCompressedTheSameContentAgainServesIt() throws Exception {
        Path target = dir.resolve("t10k-labels-idx1-ubyte.gz");
        String content = md5Of(IdxFixtures.labels(7, 2, 1, 0, 4));
        assertThat(recompressed(IdxFixtures.labels(7, 2, 1, 0, 4))).isNotEqualTo(payload);

        downloader().download(target.getFileName().toString(), md5, content, target, List.of(url("recompressed")),
                DownloadListener.NONE);

        assertThat(IdxReader.readLabels(target, 10).data()).containsExactly(7, 2, 1, 0, 4);
    }

    @Test
    void otherContentIsRefusedNamingBothChecksums() throws Exception {
        Path target = dir.resolve("f.gz");
        String other = md5Of(IdxFixtures.labels(1, 1, 1));

        assertThatThrownBy(() -> downloader().download("f.gz", md5, other, target, List.of(url("recompressed")),
                DownloadListener.NONE))
                .isInstanceOf(DownloadException.class)
                .hasMessageContaining("checksum mismatch").hasMessageContaining("expected " + md5)
                .hasMessageContaining("or uncompressed " + other + ", got " + md5Of(IdxFixtures.labels(7, 2, 1, 0, 4)));
        assertThatThrownBy(() -> downloader().download("f.gz", md5, other, target, List.of(url("corrupt")),
                DownloadListener.NONE))
                .isInstanceOf(DownloadException.class).hasMessageContaining("checksum mismatch");
        assertThat(target).doesNotExist();
    }

    @Test
    void aPageInsteadOfTheFileIsNamedAsSuch() throws Exception {
        Path target = dir.resolve("f.gz");
        String content = md5Of(IdxFixtures.labels(7, 2, 1, 0, 4));

        assertThatThrownBy(() -> downloader().download("f.gz", md5, content, target, List.of(url("portal")),
                DownloadListener.NONE))
                .isInstanceOf(DownloadException.class).hasMessageContaining("got no gzip data (an error page?)");
        assertThat(target).doesNotExist();
    }

    @Test
    void aBadChecksumLeavesNoFileAndNamesTheMismatch() {
        Path target = dir.resolve("f.gz");

        assertThatThrownBy(() -> downloader().download("f.gz", md5, target, List.of(url("corrupt")), DownloadListener.NONE))
                .isInstanceOf(DownloadException.class)
                .hasMessageContaining("checksum mismatch");
        assertThat(target).doesNotExist();
    }

    @Test
    void aMissingFileIsReportedWithTheHttpStatus() throws IOException {
        Path target = dir.resolve("f.gz");

        assertThatThrownBy(() -> downloader().download("f.gz", md5, target, List.of(url("missing")), DownloadListener.NONE))
                .isInstanceOf(DownloadException.class)
                .hasMessageContaining("HTTP 404");
        assertThat(filesIn(dir)).isEmpty();
    }

    @Test
    void aDroppedConnectionLeavesNoPartialFile() throws IOException {
        Path target = dir.resolve("f.gz");

        assertThatThrownBy(() -> downloader().download("f.gz", md5, target, List.of(url("dropping")), DownloadListener.NONE))
                .isInstanceOf(DownloadException.class);
        assertThat(filesIn(dir)).isEmpty();
    }

    @Test
    void fallsBackToTheNextMirrorAndReportsEachFailure() throws Exception {
        Path target = dir.resolve("f.gz");
        List<String> failures = new ArrayList<>();
        DownloadListener listener = new DownloadListener() {
            @Override
            public void mirrorFailed(String fileName, String url, String reason) {
                failures.add(reason);
            }
        };

        downloader().download("f.gz", md5, target, List.of(url("missing"), url("corrupt"), url("good")), listener);

        assertThat(target).hasBinaryContent(payload);
        assertThat(failures).hasSize(2);
        assertThat(failures.get(0)).contains("404");
        assertThat(failures.get(1)).contains("checksum");
    }

    @Test
    void downloadsOnlyTheMissingFilesOfASplit() throws Exception {
        Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), IdxFixtures.gzip(IdxFixtures.images(5, 28, 28)));

        assertThatThrownBy(() -> downloader().downloadMissing(DatasetName.MNIST, Split.TEST, dir,
                List.of(url("good")), DownloadListener.NONE))
                .isInstanceOf(DownloadException.class)
                .hasMessageContaining("t10k-labels-idx1-ubyte.gz")
                .hasMessageContaining("checksum mismatch"); // our fixture is not the published MNIST file
        assertThat(requests).containsExactly("/good/t10k-labels-idx1-ubyte.gz");
    }

    @Test
    void aFailedDownloadTakesBackTheFoldersItMadeButNotOnesThatWereThere() throws IOException {
        Path made = dir.resolve("new").resolve("mnist");

        assertThatThrownBy(() -> downloader().downloadMissing(DatasetName.MNIST, Split.TEST, made,
                List.of(url("missing")), DownloadListener.NONE))
                .isInstanceOf(DownloadException.class);
        assertThat(dir.resolve("new")).doesNotExist();
        assertThat(dir).isDirectory();
    }

    @Test
    void aFileThatArrivedKeepsItsFolderWhenALaterOneFails() throws IOException {
        Path made = dir.resolve("mnist");
        Files.createDirectories(made);
        Files.write(made.resolve("t10k-images-idx3-ubyte.gz"), IdxFixtures.gzip(IdxFixtures.images(5, 28, 28)));

        assertThatThrownBy(() -> downloader().downloadMissing(DatasetName.MNIST, Split.TEST, made,
                List.of(url("missing")), DownloadListener.NONE))
                .isInstanceOf(DownloadException.class);
        assertThat(filesIn(made)).containsExactly(made.resolve("t10k-images-idx3-ubyte.gz"));
    }
}
