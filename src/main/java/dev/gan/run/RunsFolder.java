package dev.gan.run;


import dev.gan.util.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The folder {@code gan train} puts runs in by default ({@code ./runs}, or {@code --runs} / {@code GAN_RUNS}),
 * and {@code latest} in it: a link to the newest finished run, so that sample, eval and report need no
 * {@code --run}. Where the file system has no symbolic links, {@code latest} is a small file holding the name.
 */
public record RunsFolder(Path root) {

    public static final String LATEST = "latest";

    /** A fresh run directory: {@code <root>/<yyyyMMdd-HHmmss>-<plain|cgan>}, numbered on if that is taken. */
    public Path newRun(boolean conditional) {
        String name = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                + "-" + (conditional ? "cgan" : "plain");
        Path run = root.resolve(name);
        for (int n = 2; Files.exists(run); n++) {
            run = root.resolve(name + "-" + n);
        }
        return run;
    }

    /**
     * Points {@code latest} at {@code run} when it lies in this folder; replaces the old pointer atomically. A
     * {@code latest} that gan did not make (a folder, or a file that is not a pointer to a run here) is left as it
     * is: the returned line says so (null when the pointer was written or the run lies elsewhere).
     */
    public String markFinished(Path run) throws IOException {
        Path absoluteRoot = root.toAbsolutePath().normalize();
        Path absoluteRun = run.toAbsolutePath().normalize();
        if (!absoluteRun.getParent().equals(absoluteRoot)) {
            return null; // a run elsewhere (--out) is the user's own business
        }
        Path name = absoluteRun.getFileName();
        Path latest = root.resolve(LATEST);
        if (!Ownership.mayWrite(latest, Ownership.Kind.LATEST_POINTER, false)) {
            return latest + " is not gan's pointer to the newest run (it is " + (Files.isDirectory(latest,
                    LinkOption.NOFOLLOW_LINKS) ? "a folder" : "a file") + " gan did not write): left as it is, "
                    + "so commands without --run take the newest finished run by its time instead";
        }
        Path link = root.resolve("." + LATEST + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, name);
            Files.move(link, latest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (UnsupportedOperationException | IOException e) {
            Files.deleteIfExists(link);
            if (Files.isSymbolicLink(latest) || Files.isDirectory(latest)) {
                throw e instanceof IOException io ? io : new IOException(e);
            }
            AtomicFiles.writeString(latest, name + "\n");
        }
        return null;
    }

    /**
     * The newest finished run: the one {@code latest} names if it is still finished, else the finished run
     * directory here whose generator was written last. Unfinished and failed runs are never chosen.
     */
    public Optional<Path> newestFinished() throws IOException {
        Path latest = root.resolve(LATEST);
        Path named = null;
        if (Files.isSymbolicLink(latest)) {
            named = root.resolve(Files.readSymbolicLink(latest));
        } else if (Files.isRegularFile(latest)) {
            named = root.resolve(Files.readString(latest, StandardCharsets.UTF_8).strip());
        }
        if (named != null && new RunDirectory(named).isFinished()) {
            return Optional.of(named.normalize());
        }
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(p -> !p.getFileName().toString().equals(LATEST) && Files.isDirectory(p))
                    .filter(p -> new RunDirectory(p).isFinished())
                    .max(Comparator.comparing(RunsFolder::finishedAt));
        }
    }

    private static FileTime finishedAt(Path run) {
        try {
            return Files.getLastModifiedTime(new RunDirectory(run).generator());
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
