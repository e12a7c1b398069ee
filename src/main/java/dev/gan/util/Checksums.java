package dev.gan.util;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** File digests, as lowercase hex. */
public final class Checksums {

    private Checksums() {
    }

    public static String sha256(Path file) throws IOException {
        return digest(file, "SHA-256");
    }

    public static String md5(Path file) throws IOException {
        return digest(file, "MD5");
    }

    /** SHA-256 of what {@code in} holds from here to its end. */
    public static String sha256(InputStream in) throws IOException {
        return digest(in, "SHA-256");
    }

    /** MD5 of a gzip file's uncompressed bytes (what a data set publishes besides its .gz files'); null when it is not gzip. */
    public static String gzipContentMd5(Path gzip) throws IOException {
        try (InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(gzip), 1 << 16)) {
            return digest(in, "MD5");
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            return null;
        }
    }

    /** A fresh MD5 digest, for bytes hashed as they are copied; {@link #hex} gives its result. */
    public static MessageDigest newMd5() {
        return newDigest("MD5");
    }

    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String digest(Path file, String algorithm) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return digest(in, algorithm);
        }
    }

    private static String digest(InputStream in, String algorithm) throws IOException {
        MessageDigest digest = newDigest(algorithm);
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            digest.update(buffer, 0, n);
        }
        return hex(digest);
    }

    private static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " missing from the JDK", e);
        }
    }
}
