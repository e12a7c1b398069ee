package dev.gan.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The MD5 sums that data sets publish for their files: of a file's bytes, and of a gzip file's content. */
final class Checksums {

    private Checksums() {
    }

    /** The MD5 of a file's bytes, in lower-case hex. */
    static String md5(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return digest(in);
        }
    }

    /** The MD5 of a gzip file's uncompressed bytes; null when it is not gzip. */
    static String uncompressedMd5(Path gzip) throws IOException {
        try (InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(gzip), 1 << 16)) {
            return digest(in);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            return null;
        }
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks MD5", e);
        }
    }

    static String hex(MessageDigest md5) {
        return HexFormat.of().formatHex(md5.digest());
    }

    private static String digest(InputStream in) throws IOException {
        MessageDigest md5 = md5();
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            md5.update(buffer, 0, n);
        }
        return hex(md5);
    }
}
