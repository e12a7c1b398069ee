package dev.gan.util;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes files so that a reader never sees a half-written one under the final name: the content goes to a
 * temporary file in the same directory, is forced to disk, and is then renamed over the target.
 */
public final class AtomicFiles {

    /** Produces the content of a file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Produces a file at the given (temporary) path, e.g. a library that only writes to paths. */
    @FunctionalInterface
    public interface FileProducer {
        void writeTo(Path temporary) throws IOException;
    }

    /**
     * The temporary files being written now. A process ended by a signal (SIGTERM, or Ctrl-C outside gan train's
     * own handling) never runs the writing thread's clean-up, so the exit removes them (a 200 MB half-written
     * IDX file stayed behind a stopped gan sample); only kill -9 leaves one, under its temporary name.
     */
    private static final Set<Path> UNFINISHED = ConcurrentHashMap.newKeySet();

    /**
     * Names taken by {@link #claim} whose placeholders may still be empty: {@link #release} and the process's end
     * remove those that are.
     */
    private static final Set<Path> CLAIMED = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(AtomicFiles::removeUnfinished, "gan-unfinished-writes"));
    }

    private AtomicFiles() {
    }

    private static void removeUnfinished() {
        for (Path tmp : UNFINISHED) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException | RuntimeException e) {
                // The process is ending: nothing left to tell the user with.
            }
        }
        CLAIMED.forEach(AtomicFiles::removeIfEmpty);
    }

    /**
     * Takes a name no file or folder has yet, atomically (an empty file, or an empty folder, made only if none
     * exists): of several processes choosing the same free name at once, one gets it, the others false and choose
     * again. The name is then the caller's to write over (see {@link #write}); {@link #release} it after.
     */
    public static boolean claim(Path target, boolean folder) throws IOException {
        try {
            if (folder) {
                Files.createDirectory(target);
            } else {
                Files.createFile(target);
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new IOException(target + ": cannot write (" + Messages.reason(e) + ")", e);
        }
        CLAIMED.add(target.toAbsolutePath().normalize());
        return true;
    }

    /** Claims the files of one output name (see {@link #claimNumbered}): true when all of them were taken. */
    public interface NameClaim {
        boolean claim(Path name) throws IOException;
    }

    /**
     * A default output name that never overwrites: {@code base + extension} (a relative base: in the current
     * folder), else {@code base-2 + extension}, -3 and on, the first that {@code claim} takes (with {@link #claim},
     * so that commands started together each get their own).
     */
    public static Path claimNumbered(String base, String extension, NameClaim claim) throws IOException {
        Path candidate = Path.of(base + extension);
        for (int n = 2; !claim.claim(candidate); n++) {
            candidate = Path.of(base + "-" + n + extension);
        }
        return candidate;
    }

    /** Ends a {@link #claim}: a placeholder still empty (nothing was written there) is removed. */
    public static void release(Path target) {
        if (CLAIMED.remove(target.toAbsolutePath().normalize())) {
            removeIfEmpty(target);
        }
    }

    private static void removeIfEmpty(Path path) {
        try {
            if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                try (java.util.stream.Stream<Path> entries = Files.list(path)) {
                    if (entries.findAny().isEmpty()) {
                        Files.deleteIfExists(path);
                    }
                }
            } else if (Files.isRegularFile(path, java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.size(path) == 0) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | RuntimeException e) {
            // A placeholder that cannot be removed is an empty file or folder left behind, nothing lost.
        }
    }

    public static void write(Path target, Content content) throws IOException {
        writeFile(target, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                content.writeTo(out);
            }
        });
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Writes {@code target} through a temporary file; an I/O error names the target and leaves it as it was. */
    public static void writeFile(Path target, FileProducer producer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            UNFINISHED.add(tmp);
            producer.writeTo(tmp);
            makeWorldReadable(tmp);
            forceToDisk(tmp);
            moveIntoPlace(tmp, target);
        } catch (IOException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(target.toString()) ? e
                    : new IOException(target + ": cannot write (" + Messages.reason(e) + ")", e);
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
                UNFINISHED.remove(tmp);
            }
        }
    }

    /** Renames {@code source} to {@code target} atomically where the file system allows it. */
    public static void moveIntoPlace(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Temporary files start as rw-------; a finished output should read like any other file (rw-r--r--). */
    private static void makeWorldReadable(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: keep its defaults.
        }
    }

    private static void forceToDisk(Path file) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }
}
