package dev.gan.experiment;

import dev.gan.run.Ownership;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gan.run.MetricsTable;
import dev.gan.run.RunLayout;
import dev.gan.util.AtomicFiles;
import dev.gan.util.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Summarises an experiment directory: one row per run (its varying settings, final losses, eval metrics,
 * training time, status) in {@code summary.csv} and {@code summary.md}, plus mean +- std over seeds for
 * groups of runs that differ only in their seed.
 */
public final class ExperimentReport {

    /**
     * One run's figures; metrics are null where the run has none (not finished, not evaluated). Besides the
     * averages, the figures that say whether every digit is there: the worst digit's label accuracy
     * (conditional), the number of digits holding at least 5% of the samples, and the smallest and largest
     * share any digit got.
     */
    public record Row(String name, Map<String, String> settings, String status, Double dLoss, Double gLoss,
                      Double classifierScore, Double frechetDistance, Double precision, Double recall,
                      Double labelAccuracy, Double worstDigitAccuracy, Double modes, Double minClassShare,
                      Double maxClassShare, double seconds) {

        /** The metrics in the order of {@link #METRICS}. */
        public Double[] values() {
            return new Double[] {dLoss, gLoss, classifierScore, frechetDistance, precision, recall, labelAccuracy,
                    worstDigitAccuracy, modes, minClassShare, maxClassShare, seconds};
        }
    }

    public static final String[] METRICS = {"d_loss", "g_loss", "classifier_score", "frechet_distance",
            "precision", "recall", "label_accuracy", "worst_digit_accuracy", "modes", "min_class_share", "max_class_share", "seconds"};

    private ExperimentReport() {
    }

    public static List<Row> collect(Path dir) throws IOException {
        Map<String, Map<String, String>> planned = new TreeMap<>();
        Path experiment = dir.resolve("experiment.json");
        if (Files.exists(experiment)) {
            JsonNode runs = Json.read(experiment).path("runs");
            for (Iterator<Map.Entry<String, JsonNode>> it = runs.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Map<String, String> settings = new LinkedHashMap<>();
                e.getValue().fields().forEachRemaining(s -> settings.put(s.getKey(), s.getValue().asText()));
                planned.put(e.getKey(), settings);
            }
        }
        JsonNode statuses = Files.exists(dir.resolve("status.json")) ? Json.read(dir.resolve("status.json")) : null;
        TreeSet<String> names = new TreeSet<>(planned.keySet());
        try (Stream<Path> entries = Files.list(dir)) {
            entries.filter(p -> Files.isRegularFile(p.resolve(RunLayout.CONFIG))).forEach(p -> names.add(p.getFileName().toString()));
        }
        List<Row> rows = new ArrayList<>();
        for (String name : names) {
            Path run = dir.resolve(name);
            Double dLoss = null, gLoss = null;
            double seconds = 0;
            if (Files.exists(run.resolve(RunLayout.METRICS))) {
                MetricsTable metrics = MetricsTable.read(run.resolve(RunLayout.METRICS));
                for (double[] row : metrics.rows()) {
                    dLoss = metrics.value(row, MetricsTable.D_LOSS);
                    gLoss = metrics.value(row, MetricsTable.G_LOSS);
                    seconds += metrics.value(row, MetricsTable.SECONDS);
                }
            }
            Double precision = null, recall = null;
            Double score = null, frechet = null, accuracy = null, worstDigit = null, modes = null, minShare = null,
                    maxShare = null;
            if (Files.exists(run.resolve(RunLayout.EVAL))) {
                JsonNode report = Json.read(run.resolve(RunLayout.EVAL)).path("report");
                score = report.path("classifierScore").asDouble();
                frechet = report.path("frechetDistance").asDouble();
                precision = report.path("precision").isNumber() ? report.path("precision").asDouble() : null;
                recall = report.path("recall").isNumber() ? report.path("recall").asDouble() : null;
                accuracy = report.path("labelAccuracy").isNumber() ? report.path("labelAccuracy").asDouble() : null;
                for (JsonNode digit : report.path("labelAccuracyPerDigit")) {
                    if (!digit.isNumber()) {
                        continue;   // no sample was meant to be that digit
                    }
                    worstDigit = worstDigit == null ? digit.asDouble() : Math.min(worstDigit, digit.asDouble());
                }
                modes = report.path("modesCovered").isNumber() ? report.path("modesCovered").asDouble() : null;
                double count = report.path("count").asDouble();
                for (JsonNode n : report.path("classHistogram")) {
                    double share = n.asDouble() / count;
                    minShare = minShare == null ? share : Math.min(minShare, share);
                    maxShare = maxShare == null ? share : Math.max(maxShare, share);
                }
            }
            Path statusFile = dir.resolve("status").resolve(name + ".json");
            JsonNode recorded = Files.exists(statusFile) ? Json.read(statusFile)
                    : statuses != null && statuses.has(name) ? statuses.get(name) : null; // status.json: before 2026-11
            String status = recorded != null ? recorded.path("status").asText()
                    : Files.exists(run.resolve(RunLayout.GENERATOR)) ? "done" : Files.exists(run) ? "incomplete" : "not started";
            if ("skipped".equals(status)) {
                status = "done";
            }
            rows.add(new Row(name, planned.getOrDefault(name, Map.of()), status, dLoss, gLoss, score, frechet, precision,
                    recall, accuracy, worstDigit, modes, minShare, maxShare, seconds));
        }
        return rows;
    }

    /** Writes summary.csv and summary.md into {@code dir}; returns the markdown. */
    public static String write(Path dir, List<Row> rows) throws IOException {
        List<String> keys = new ArrayList<>(new TreeSet<>(rows.stream().flatMap(r -> r.settings().keySet().stream()).toList()));
        List<String> header = new ArrayList<>(List.of("run"));
        header.addAll(keys);
        header.add("status");
        header.addAll(List.of(METRICS));
        StringBuilder csv = new StringBuilder(String.join(",", header)).append('\n');
        StringBuilder md = new StringBuilder("| ").append(String.join(" | ", header)).append(" |\n|")
                .append(" --- |".repeat(header.size())).append('\n');
        for (Row r : rows) {
            List<String> cells = new ArrayList<>();
            for (String key : keys) {
                cells.add(r.settings().getOrDefault(key, ""));
            }
            cells.add(r.status());
            for (Double v : r.values()) {
                cells.add(v == null ? "" : String.format(Locale.ROOT, "%.4f", v));
            }
            csv.append(r.name()).append(',').append(String.join(",", cells)).append('\n');
            md.append("| ").append(r.name()).append(" | ").append(String.join(" | ", cells)).append(" |\n");
        }
        md.append(groups(rows, keys));
        AtomicFiles.writeString(dir.resolve("summary.csv"), csv.toString());
        AtomicFiles.writeString(dir.resolve("summary.md"), Ownership.SUMMARY_MARKER + "\n" + md);
        return md.toString();
    }


    /** The files a report writes into an experiment folder, each known as gan's by what gan writes in it. */
    private static final List<Map.Entry<String, Ownership.Kind>> SUMMARY_FILES = List.of(
            Map.entry("summary.md", Ownership.Kind.EXPERIMENT_SUMMARY),
            Map.entry("summary.csv", Ownership.Kind.EXPERIMENT_TABLE),
            Map.entry("report.html", Ownership.Kind.EXPERIMENT_PAGE));

    /**
     * Refuses to write a report where the folder is not a gan experiment folder, or where one of its summary files
     * is not gan's, unless {@code force}: a hand-written summary, table or page is never replaced silently.
     */
    public static void requireReportable(Path dir, boolean force) throws ExperimentException {
        if (!Files.isDirectory(dir) || !ExperimentRunner.isExperimentFolder(dir)) {
            throw new ExperimentException(dir + ": not an experiment folder (no " + ExperimentRunner.PLAN_FILE
                    + ", which gan experiment run and plan write)");
        }
        for (Map.Entry<String, Ownership.Kind> summary : SUMMARY_FILES) {
            Path file = dir.resolve(summary.getKey());
            if (!Ownership.mayWrite(file, summary.getValue(), force)) {
                throw new ExperimentException(file + (Files.isDirectory(file) ? ": is a folder" : ": already exists "
                        + "and gan did not write it (use --force to replace the summary files)"));
            }
        }
    }

    /** The group of runs with nothing but the file's base settings (and a seed). */
    static final String BASE_GROUP = "(base settings)";

    /** Mean +- sample standard deviation over runs that differ only in their seed (when seeds vary). */
    static String groups(List<Row> rows, List<String> keys) {
        if (!keys.contains("seed")) {
            return "";
        }
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        for (Row r : rows) {
            Map<String, String> withoutSeed = new TreeMap<>(r.settings());
            withoutSeed.remove("seed");
            groups.computeIfAbsent(withoutSeed.isEmpty() ? BASE_GROUP : withoutSeed.toString(), k -> new ArrayList<>()).add(r);
        }
        StringBuilder md = new StringBuilder("\nMean +- std over seeds:\n\n| settings | runs | ")
                .append(String.join(" | ", METRICS)).append(" |\n|").append(" --- |".repeat(2 + METRICS.length)).append('\n');
        for (Map.Entry<String, List<Row>> g : groups.entrySet()) {
            md.append("| ").append(g.getKey()).append(" | ").append(g.getValue().size());
            for (int m = 0; m < METRICS.length; m++) {
                List<Double> xs = new ArrayList<>();
                for (Row r : g.getValue()) {
                    Double v = r.values()[m];
                    if (v != null) {
                        xs.add(v);
                    }
                }
                md.append(" | ").append(xs.isEmpty() ? "" : meanStd(xs));
            }
            md.append(" |\n");
        }
        return md.toString();
    }

    static String meanStd(List<Double> xs) {
        double mean = xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double var = xs.size() < 2 ? 0 : xs.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / (xs.size() - 1);
        return String.format(Locale.ROOT, "%.4f +- %.4f", mean, Math.sqrt(var));
    }
}
