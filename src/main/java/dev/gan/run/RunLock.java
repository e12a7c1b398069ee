package dev.gan.run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One training process per run directory: an OS file lock on {@code RUN_DIR/.lock}, which holds the owner's
 * pid. The operating system drops the lock when its process dies, even by kill -9, so a lock left behind by
 * a dead process is noticed (its pid is gone) and taken over instead of blocking the run forever.
 */
public final class RunLock implements AutoCloseable {

    public static final String FILE_NAME = dev.gan.run.RunLayout.LOCK;
    private static final Logger log = LoggerFactory.getLogger(RunLock.class);

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    /** True when acquiring created the run directory: closing removes it again if nothing was written there. */
    private final boolean createdRoot;

    private RunLock(Path file, FileChannel channel, FileLock lock, boolean createdRoot) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.createdRoot = createdRoot;
    }

    /**
     * Locks {@code root} (creating it), or throws {@link RunLockedException} naming the owner's pid. When the
     * lock cannot be written (a full disk, say), the error names the lock file, and what this call created is
     * removed again.
     */
    public static RunLock acquire(Path root) throws IOException {
        Path file = root.resolve(FILE_NAME);
        boolean createdRoot = !Files.exists(root);
        boolean createdFile = false;
        FileChannel channel;
        try {
            Files.createDirectories(root);
            createdFile = !Files.exists(file);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (java.nio.file.FileSystemException e) {
            undo(root, file, createdRoot, createdFile);
            throw new IOException(root + ": cannot lock the run directory ("
                    + dev.gan.util.Messages.reason(e) + ")", e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this very JVM
        }
        String previous = readOwner(channel);
        if (lock == null) {
            channel.close();
            throw new RunLockedException(root + ": another gan train is using this run directory (pid "
                    + (previous.isEmpty() ? "unknown" : previous) + ")");
        }
        if (!previous.isEmpty()) {
            log.info("took over the stale lock of pid {} in {}", previous, root);
        }
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(true);
        } catch (IOException e) {
            lock.release();
            channel.close();
            undo(root, file, createdRoot, createdFile);
            throw new IOException(file + ": cannot write the lock file (" + dev.gan.util.Messages.reason(e) + ")", e);
        }
        return new RunLock(file, channel, lock, createdRoot);
    }

    /** Removes the lock file and the run directory again where this process created them. */
    private static void undo(Path root, Path file, boolean createdRoot, boolean createdFile) {
        try {
            if (createdFile) {
                Files.deleteIfExists(file);
            }
            if (createdRoot) {
                Files.deleteIfExists(root); // only while empty
            }
        } catch (IOException ignored) {
            // Leaving an empty folder or lock behind is harmless; the original error is what the user needs.
        }
    }

    private static String readOwner(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
    }

    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(file);
            lock.release();
        } finally {
            channel.close();
        }
        if (createdRoot) {
            try (var entries = Files.list(file.getParent())) {
                if (entries.findAny().isEmpty()) {
                    Files.deleteIfExists(file.getParent()); // a run refused before it wrote anything leaves nothing
                }
            }
        }
    }
}
