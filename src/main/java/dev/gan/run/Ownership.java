package dev.gan.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The one rule for every path gan writes: a path that does not exist may be written; an existing file is replaced
 * only when gan made it (known by what gan wrote there) or the user asked for it by name with {@code --force}
 * (or {@code --overwrite} for a run); a folder is never replaced, and what gan did not make inside one of its own
 * folders is never deleted. Every command that writes asks here first.
 */
public final class Ownership {

    /** The first line of every summary.md that gan experiment report writes: how it knows its own. */
    public static final String SUMMARY_MARKER = "<!-- written by gan experiment report -->";

    /** A kind of file gan writes, and how it recognises one it wrote. */
    public enum Kind {
        /** eval.json: gan eval's judgement, a JSON object with "evaluated" and "report". */
        EVAL_JSON("an eval.json", p -> startsWithText(p, "{") && containsText(p, "\"evaluated\"")
                && containsText(p, "\"report\"")),
        /** A classifier zip: DL4J's model zip with gan's description entry. */
        CLASSIFIER("a gan classifier", p -> zipHasEntry(p, "gan-classifier.json")),
        /** summary.md of an experiment: starts with {@link #SUMMARY_MARKER}. */
        EXPERIMENT_SUMMARY("a gan experiment summary", p -> startsWithText(p, SUMMARY_MARKER)),
        /** summary.csv of an experiment: a header row from "run" over the settings to the status and metrics. */
        EXPERIMENT_TABLE("a gan experiment's summary.csv", p -> startsWithText(p, "run,")
                && firstLineContains(p, ",status,d_loss,g_loss,")),
        /** report.html of an experiment: gan's page, titled "gan experiment NAME". */
        EXPERIMENT_PAGE("a gan experiment's report.html", p -> startsWithText(p, "<!DOCTYPE html>")
                && containsText(p, "<title>gan experiment ")),
        /** A sample image or IDX file: sample never replaces one without --force (its default names never collide). */
        SAMPLE(null, p -> false),
        /** A run's config.json: a JSON object describing a configuration, a model and data. */
        RUN_CONFIG("a gan run's config.json", Ownership::isRunConfig),
        /** A run's report.html: gan's page, titled "gan run NAME". */
        RUN_REPORT("a gan run's report.html", p -> startsWithText(p, "<!DOCTYPE html>")
                && containsText(p, "<title>gan run ")),
        /** A run's train.log: empty, or every line one of gan's log lines (they start with a timestamp). */
        RUN_LOG("gan's train.log", Ownership::isGanLog),
        /** runs/latest: a link, or a small file naming a run beside it (where links are not to be had). */
        LATEST_POINTER("gan's pointer to the newest run", Ownership::isLatestPointer);

        /** What a file of this kind is called; null for kinds replaced only when asked, gan's own or not. */
        private final String description;
        private final Predicate<Path> madeByGan;

        Kind(String description, Predicate<Path> madeByGan) {
            this.description = description;
            this.madeByGan = madeByGan;
        }
    }

    /** Refused: the path exists and is not gan's to replace. */
    public static final class NotReplaceableException extends RuntimeException {
        public NotReplaceableException(String message) {
            super(message);
        }
    }

    private Ownership() {
    }

    /** True when {@code target} may be written: missing, gan's own of this kind, or {@code forced}. */
    public static boolean mayWrite(Path target, Kind kind, boolean forced) {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        return forced || kind.madeByGan.test(target);
    }

    /**
     * Refuses, in one line naming the path and the flag, to write {@code target} unless {@link #mayWrite}; a folder
     * is refused even with the flag.
     */
    public static void requireWritable(Path target, Kind kind, boolean forced, String forceFlag) {
        if (mayWrite(target, kind, forced)) {
            return;
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new NotReplaceableException(target + ": is a folder; name a file to write");
        }
        throw new NotReplaceableException(target + ": already exists" + (kind.description == null ? ""
                : " and is not " + kind.description + " that gan wrote") + " (use " + forceFlag + " to replace it)");
    }

    /** True when the file is a gan-made one of {@code kind}. */
    public static boolean madeByGan(Path file, Kind kind) {
        return (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(file))
                && kind.madeByGan.test(file);
    }

    /** What gan writes inside a run's own folders: sample grids, checkpoints, plots (and their temporary names). */
    private static final java.util.Map<String, Pattern> RUN_FOLDER_CONTENT = java.util.Map.of(
            RunLayout.SAMPLES, Pattern.compile("\\.?epoch-\\d{3,}\\.png(\\..*\\.tmp)?"),
            RunLayout.CHECKPOINTS, Pattern.compile("\\.?epoch-\\d{4,9}(-batch-\\d{5,9})?(-.*)?"),
            RunLayout.PLOTS, Pattern.compile("\\.?[a-z_]+\\.png(\\..*\\.tmp)?"));

    /**
     * True when {@code name} inside the run folder {@code folder} (samples, checkpoints, plots) is what gan writes
     * there; false for any other folder, so nothing in it counts as gan's.
     */
    public static boolean isRunFolderContent(String folder, String name) {
        Pattern own = RUN_FOLDER_CONTENT.get(folder);
        return own != null && own.matcher(name).matches();
    }

    /** The folders of a run whose contents gan tells apart by name ({@link #isRunFolderContent}). */
    public static boolean hasOwnContent(String folder) {
        return RUN_FOLDER_CONTENT.containsKey(folder);
    }

    /** gan's log lines start with a timestamp: what tells its train.log from a file of the same name. */
    private static final Pattern LOG_LINE = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*");

    private static boolean isRunConfig(Path file) {
        try {
            var json = dev.gan.util.Json.MAPPER.readTree(file.toFile());
            return json != null && json.has("config") && json.has("model") && json.has("data");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean isGanLog(Path file) {
        try {
            return Files.size(file) <= (1 << 20)
                    && Files.readAllLines(file).stream().allMatch(line -> LOG_LINE.matcher(line).matches());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean isLatestPointer(Path latest) {
        if (Files.isSymbolicLink(latest)) {
            return true;
        }
        try {
            if (!Files.isRegularFile(latest, LinkOption.NOFOLLOW_LINKS) || Files.size(latest) > 256) {
                return false;
            }
            String named = Files.readString(latest, StandardCharsets.UTF_8).strip();
            Path parent = latest.toAbsolutePath().getParent();
            return !named.isEmpty() && !named.contains("/") && !named.contains("\n") && parent != null
                    && Files.isRegularFile(parent.resolve(named).resolve(RunLayout.CONFIG));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean startsWithText(Path file, String prefix) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(prefix.length());
            return new String(head, StandardCharsets.UTF_8).equals(prefix);
        } catch (IOException e) {
            return false;
        }
    }

    /** Looks only at the first megabyte: gan's JSON files are smaller, and a large foreign file is not read whole. */
    private static boolean containsText(Path file, String text) {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the first line (of at most 4 KB read) contains {@code text}. */
    private static boolean firstLineContains(Path file, String text) {
        try (InputStream in = Files.newInputStream(file)) {
            String head = new String(in.readNBytes(1 << 12), StandardCharsets.UTF_8);
            int end = head.indexOf('\n');
            return (end < 0 ? head : head.substring(0, end)).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean zipHasEntry(Path file, String name) {
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (entry.getName().equals(name)) {
                    return true;
                }
            }
            return false;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }
}
