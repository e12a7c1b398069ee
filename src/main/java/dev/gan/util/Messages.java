package dev.gan.util;

/** Text for one-line messages. */
public final class Messages {

    private Messages() {
    }

    /** "1 image", "2 images": {@code n} and the noun, plural unless n is 1. */
    public static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** The first line of a throwable's message, or its class name when it has none. */
    /** "a", "a and b", "a, b and c". */
    public static String list(java.util.List<String> items) {
        int n = items.size();
        return n <= 1 ? String.join("", items) : String.join(", ", items.subList(0, n - 1)) + " and " + items.get(n - 1);
    }

    public static String firstLine(Throwable e) {
        return firstLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    public static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /**
     * What went wrong with a file, in words: the JDK leaves the reason out of some of its exceptions (permission
     * denied, a missing file), whose message is then the bare path.
     */
    public static String reason(java.io.IOException e) {
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof java.nio.file.NotDirectoryException) {
            return "not a folder";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof java.nio.file.DirectoryNotEmptyException) {
            return "a folder that is not empty";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** An I/O error as "PATH: reason" where it names a path, else its message. */
    public static String describe(java.io.IOException e) {
        if (e instanceof java.nio.file.FileSystemException fse && fse.getFile() != null) {
            return fse.getFile() + (fse.getOtherFile() == null ? "" : " -> " + fse.getOtherFile()) + ": " + reason(e);
        }
        return reason(e);
    }
}
