package dev.gan.run;

import dev.gan.util.Shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** A run directory as training manages it: where a new run may go, clearing an old one, knowing a finished one. */
public record RunDirectory(Path root) {

    private RunLayout layout() {
        return new RunLayout(root);
    }

    public Path config() {
        return layout().config();
    }

    public Path metrics() {
        return layout().metrics();
    }

    public Path samples() {
        return layout().samples();
    }

    public Path sampleGrid(int epoch) {
        return layout().sampleGrid(epoch);
    }

    public Path checkpoints() {
        return layout().checkpoints();
    }

    public Path generator() {
        return layout().generator();
    }

    public Path log() {
        return layout().log();
    }

    /**
     * True when the run trained every epoch its config.json asks for and wrote its final generator; a run still
     * going, stopped, diverged or resumed for more epochs is not finished.
     */
    public boolean isFinished() {
        if (!Files.isRegularFile(generator()) || !Files.isRegularFile(metrics()) || !holdsRun()) {
            return false;
        }
        try {
            int epochs = dev.gan.util.Json.MAPPER.readTree(config().toFile()).path("config").path("epochs").asInt(-1);
            List<String> rows = Files.readAllLines(metrics());
            String last = rows.get(rows.size() - 1);
            return rows.size() > 1 && last.startsWith(epochs + ",");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** True when there is nothing in it but (perhaps) our own lock file. */
    public boolean isEmptyOrMissing() throws IOException {
        if (!Files.exists(root)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.noneMatch(p -> !p.getFileName().toString().equals(RunLock.FILE_NAME));
        }
    }

    /**
     * Refuses a place where a new run must not be written: a file, a directory that holds (or is) the training
     * data or the current directory, since {@code --overwrite} would then delete what the user works with.
     */
    public void checkLocation(Path dataDir, Path workingDir) {
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new InvalidRunException(root + ": is a file, not a run directory");
        }
        for (Path above = root.toAbsolutePath().getParent(); above != null; above = above.getParent()) {
            if (Files.exists(above) && !Files.isDirectory(above)) {
                throw new InvalidRunException(root + ": " + above + " is a file, not a directory");
            }
        }
        Path run = canonical(root);
        if (dataDir != null && canonical(dataDir).startsWith(run)) {
            throw new InvalidRunException(root + ": the run directory would contain the training data ("
                    + dataDir + "); choose another --out");
        }
        if (workingDir != null && canonical(workingDir).startsWith(run)) {
            throw new InvalidRunException(root + ": the run directory would contain the current directory; "
                    + "choose a new folder for --out");
        }
    }

    /**
     * Makes the directory ready for a new run. A missing or empty directory (or one with only what a killed start
     * left) is used as it is; one that holds a run is cleared of that run's files only with {@code overwrite};
     * anything else is refused, saying what is there, since it is not ours to delete.
     */
    public void prepareForNewRun(boolean overwrite) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> entries = entries();
        boolean ours = entries.stream().allMatch(p -> isOwnName(p.getFileName().toString()));
        if (!ours && !holdsRun()) {
            throw new InvalidRunException(root + ": is not empty and is not a gan run directory (no gan config.json; "
                    + "it holds " + describe(entries) + "); choose an empty or new folder for --out");
        }
        removeUnfinishedWrites(); // what a killed start left behind never carries a final name
        if (ours && !holdsRun() && isKilledStart(entries())) {
            // A start killed before its config.json left its log: nothing to resume, and all of it gan's.
            for (Path entry : entries()) {
                if (!entry.getFileName().toString().equals(RunLock.FILE_NAME)) {
                    deleteOwn(entry);
                }
            }
        }
        if (isEmptyOrMissing()) {
            return;
        }
        if (!overwrite) {
            throw new InvalidRunException(root + ": run directory is not empty; use --resume "
                    + Shell.quote(root) + " to continue it or --overwrite to replace it");
        }
        for (Path entry : entries()) {
            String name = entry.getFileName().toString();
            if (isOwnName(name) && !name.equals(RunLock.FILE_NAME)) {
                deleteOwn(entry);
            }
        }
    }

    /**
     * Deletes one of gan's top-level entries; of its folders, only what gan writes there, and the folder itself
     * only when that leaves it empty: a file the user put into a run folder survives --overwrite.
     */
    private static void deleteOwn(Path entry) throws IOException {
        String folder = entry.getFileName().toString();
        if (!Ownership.hasOwnContent(folder) || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
            Checkpoints.deleteRecursively(entry);
            return;
        }
        try (Stream<Path> children = Files.list(entry)) {
            for (Path child : children.toList()) {
                if (Ownership.isRunFolderContent(folder, child.getFileName().toString())) {
                    Checkpoints.deleteRecursively(child);
                }
            }
        }
        try (Stream<Path> left = Files.list(entry)) {
            if (left.findAny().isEmpty()) {
                Files.delete(entry);
            }
        }
    }

    /**
     * True when the entries are what a start killed before its config.json leaves: a train.log of gan's lines
     * (or empty) and empty folders of gan's names, nothing else.
     */
    private static boolean isKilledStart(List<Path> entries) throws IOException {
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (name.equals(RunLock.FILE_NAME)) {
                continue;
            }
            if (name.equals(RunLayout.LOG)) {
                if (!Ownership.madeByGan(entry, Ownership.Kind.RUN_LOG)) {
                    return false;
                }
            } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> children = Files.list(entry)) {
                    if (children.findAny().isPresent()) {
                        return false;
                    }
                }
            } else {
                return false;
            }
        }
        return true;
    }

    /** A name gan writes at the top of a run directory, or the temporary file it writes one through. */
    static boolean isOwnName(String name) {
        return RunLayout.ENTRIES.contains(name) || isTemporaryOf(name, RunLayout.ENTRIES);
    }

    private static boolean isTemporaryOf(String name, Set<String> finalNames) {
        return name.startsWith(".") && name.endsWith(".tmp")
                && finalNames.stream().anyMatch(own -> name.startsWith("." + own + "."));
    }

    /** True when the directory holds a config.json that gan wrote (it describes a configuration and a model). */
    public boolean holdsRun() {
        return Ownership.madeByGan(config(), Ownership.Kind.RUN_CONFIG);
    }

    private List<Path> entries() throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            return entries.toList();
        }
    }

    private static String describe(List<Path> entries) {
        List<String> names = entries.stream().filter(p -> !p.getFileName().toString().equals(RunLock.FILE_NAME)).map(p -> p.getFileName().toString() + (Files.isDirectory(p) ? "/" : ""))
                .sorted().toList();
        String shown = String.join(", ", names.subList(0, Math.min(5, names.size())));
        return names.size() > 5 ? shown + " and " + (names.size() - 5) + " more" : shown;
    }

    /** The absolute, normalised path with symbolic links resolved as far as the path exists. */
    private static Path canonical(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute));
        } catch (IOException e) {
            return absolute;
        }
    }

    /** Deletes temporary files that a killed process left half-written (they never carry a final name). */
    public void removeUnfinishedWrites() throws IOException {
        if (Files.isDirectory(root)) {
            for (Path entry : entries()) {
                if (isTemporaryOf(entry.getFileName().toString(), RunLayout.ENTRIES)) {
                    Files.deleteIfExists(entry);
                }
            }
        }
        if (Files.isDirectory(samples())) {
            try (Stream<Path> entries = Files.list(samples())) {
                for (Path entry : entries.filter(p -> p.getFileName().toString().startsWith(".epoch-")
                        && p.getFileName().toString().endsWith(".tmp")).toList()) {
                    Files.deleteIfExists(entry);
                }
            }
        }
        new Checkpoints(checkpoints(), Integer.MAX_VALUE).removeUnfinished();
    }
}
