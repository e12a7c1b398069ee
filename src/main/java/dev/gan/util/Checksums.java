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

    private static String digest(Path file, String algorithm) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return digest(in, algorithm);
        }
    }

    private static String digest(InputStream in, String algorithm) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " missing from the JDK", e);
        }
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
