package dev.gan.util;

/** Words as a POSIX shell reads them back: for command lines gan prints for users and schedulers to run. */
public final class Shell {

    private Shell() {
    }

    /** {@code s} as one shell word: as it is when it needs no quoting, else in single quotes. */
    public static String quote(String s) {
        return s.matches("[A-Za-z0-9_./=:,+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    /** {@code path} as one shell word. */
    public static String quote(java.nio.file.Path path) {
        return quote(path.toString());
    }
}
