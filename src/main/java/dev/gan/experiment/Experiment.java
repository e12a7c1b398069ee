package dev.gan.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gan.util.Messages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An experiment file (YAML, JSON being a subset): {@code base} settings for every run, a {@code grid} whose
 * cartesian product gives runs, an explicit {@code runs} list (each crossed with the grid), and optionally
 * {@code eval: {count: N, classifier: FILE}} to evaluate every finished run. Every setting key is a {@code gan train} option name
 * without its dashes; every value is what that option takes ({@code true}/{@code false} for flags).
 */
public record Experiment(Path file, String name, Map<String, String> base, List<Map<String, String>> runs,
                         Map<String, List<String>> grid, int evalCount, String evalClassifier, List<String> lines,
                         Map<String, Integer> locations) {

    /** An experiment's name is a folder name: file systems take 255 bytes, and runs' names go beside it in paths. */
    private static final int MAX_NAME = 100;
    private static final Set<String> TOP_LEVEL = Set.of("name", "base", "grid", "runs", "eval");
    private static final Set<String> EVAL_KEYS = Set.of("count", "classifier");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    /** A name becomes a folder under experiments/: one plain path segment. */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._=+-]*");

    /** One run to do: a stable name, every setting, the settings that vary, and its gan train arguments. */
    public record PlannedRun(String name, Map<String, String> settings, Map<String, String> varying,
                             List<String> trainArguments) {
    }

    public static Experiment read(Path file) throws ExperimentException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ExperimentException(file + ": cannot read (" + e.getMessage() + ")");
        }
        List<String> lines = text.lines().toList();
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (IOException e) {
            String where = e instanceof com.fasterxml.jackson.core.JsonProcessingException p && p.getLocation() != null
                    ? ":" + p.getLocation().getLineNr() : "";
            throw new ExperimentException(file + where + ": not valid YAML (" + Messages.firstLine(e) + ")");
        }
        if (root == null || !root.isObject()) {
            throw new ExperimentException(file + ": expected a mapping with base, grid and/or runs");
        }
        Map<String, Integer> locations = locations(text);
        Experiment partial = new Experiment(file, null, Map.of(), List.of(), Map.of(), 0, null, lines, locations);
        for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!TOP_LEVEL.contains(key)) {
                throw partial.error("/" + key, "unknown section '" + key + "' (expected name, base, grid, runs, eval)");
            }
        }
        String name = root.has("name") ? root.get("name").asText() : file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        if (!SAFE_NAME.matcher(name).matches() || name.length() > MAX_NAME) {
            throw partial.error("/name", "name '" + name + "' must be one plain folder name (letters, digits, . _ = + -, "
                    + "not starting with a dot, at most " + MAX_NAME + " characters): it names the folder under experiments/");
        }
        Map<String, String> base = partial.settings(root.get("base"), "base");
        Map<String, List<String>> grid = new LinkedHashMap<>();
        JsonNode gridNode = root.get("grid");
        if (gridNode != null) {
            if (!gridNode.isObject()) {
                throw partial.error("/grid", "grid must map option names to lists of values");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = gridNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                List<String> values = new ArrayList<>();
                if (e.getValue().isArray()) {
                    e.getValue().forEach(v -> values.add(text(v)));
                } else {
                    values.add(text(e.getValue()));
                }
                if (values.isEmpty()) {
                    throw partial.error("/grid/" + e.getKey(), "grid '" + e.getKey() + "' has no values");
                }
                for (int i = 0; i < values.size(); i++) {
                    if (values.indexOf(values.get(i)) != i) {
                        throw partial.error("/grid/" + e.getKey(), "grid '" + e.getKey() + "' lists " + values.get(i)
                                + " twice: both would train the very same runs (repeats need other seeds)");
                    }
                }
                grid.put(e.getKey(), values);
            }
        }
        List<Map<String, String>> runs = new ArrayList<>();
        JsonNode runsNode = root.get("runs");
        if (runsNode != null) {
            if (!runsNode.isArray()) {
                throw partial.error("/runs", "runs must be a list of option mappings");
            }
            int index = 0;
            for (JsonNode run : runsNode) {
                runs.add(partial.settings(run, "runs/" + index++));
            }
        }
        int evalCount = 0;
        String evalClassifier = null;
        JsonNode eval = root.get("eval");
        if (eval != null) {
            if (!eval.isObject()) {
                throw partial.error("/eval", "eval must be a mapping such as {count: 10000}");
            }
            for (Iterator<String> keys = eval.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (!EVAL_KEYS.contains(key)) {
                    throw partial.error("/eval/" + key, "'" + key + "' is not an eval setting (expected count, classifier)");
                }
            }
            JsonNode count = eval.path("count");
            evalCount = count.isMissingNode() ? 10_000 : count.canConvertToInt() && count.isIntegralNumber()
                    ? count.asInt() : 0;
            if (evalCount <= 0) {
                throw partial.error("/eval/count", "eval count must be a positive whole number, got " + count);
            }
            evalClassifier = eval.hasNonNull("classifier") ? eval.get("classifier").asText() : null;
        }
        return new Experiment(file, name, base, runs, grid, evalCount, evalClassifier, lines, locations);
    }

    private Map<String, String> settings(JsonNode node, String section) throws ExperimentException {
        Map<String, String> settings = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return settings;
        }
        String sectionName = section.replaceFirst("/.*", "");
        if (!node.isObject()) {
            throw error("/" + section, sectionName + " must map option names to values");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isContainerNode()) {
                throw error("/" + section + "/" + e.getKey(), "'" + e.getKey() + "' in " + sectionName
                        + " must be a single value");
            }
            settings.put(e.getKey(), text(e.getValue()));
        }
        return settings;
    }

    /** A value as gan train reads it; YAML floats keep a plain form (2e-4 becomes 0.0002, not 2.0E-4). */
    private static String text(JsonNode value) {
        if (value.isFloatingPointNumber()) {
            return new java.math.BigDecimal(value.asText()).stripTrailingZeros().toPlainString();
        }
        return value.asText();
    }

    /**
     * The line of every key, by its JSON pointer ({@code /base/lr-d}, {@code /runs/1/seed}, {@code /grid/seed}),
     * so that an error points at the line that set the value, not at another line with the same key.
     */
    private static Map<String, Integer> locations(String text) throws ExperimentException {
        Map<String, Integer> at = new LinkedHashMap<>();
        try (com.fasterxml.jackson.core.JsonParser parser = YAML.getFactory().createParser(text)) {
            for (var token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                    at.put(parser.getParsingContext().pathAsPointer().toString(), parser.getTokenLocation().getLineNr());
                }
            }
        } catch (IOException e) {
            return at; // readTree reports the same problem with its line
        }
        return at;
    }

    /** An error at {@code where}: a JSON pointer to the key (see {@link #locations}), else the first line naming it. */
    ExperimentException error(String where, String message) {
        Integer line = locations.get(where);
        if (line != null) {
            return new ExperimentException(file + ":" + line + ": " + message);
        }
        String key = where.substring(where.lastIndexOf('/') + 1);
        Pattern pattern = Pattern.compile("^\\s*(-\\s*)?\"?" + Pattern.quote(key) + "\"?\\s*:");
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = pattern.matcher(lines.get(i));
            if (m.find() || lines.get(i).matches(".*[{,]\\s*\"?" + Pattern.quote(key) + "\"?\\s*:.*")) {
                return new ExperimentException(file + ":" + (i + 1) + ": " + message);
            }
        }
        return new ExperimentException(file + ": " + message);
    }

    /**
     * Expands the runs, checking each with {@code validate} (gan train's own option parsing: returns an error
     * message or null). Reserved keys (out, resume, overwrite, quiet, json) are refused.
     */
    public List<PlannedRun> plan(Function<List<String>, String> validate) throws ExperimentException {
        List<Map<String, String>> explicit = runs.isEmpty() ? List.of(Map.of()) : runs;
        List<PlannedRun> planned = new ArrayList<>();
        Map<String, Integer> names = new LinkedHashMap<>();
        // Grid values are distinct (checked on reading): only a runs entry can repeat another's settings.
        Map<Map<String, String>, Integer> settingsSeen = new java.util.HashMap<>();
        for (int index = 0; index < explicit.size(); index++) {
            Map<String, String> run = explicit.get(index);
            for (Map<String, String> point : gridPoints()) {
                Map<String, String> settings = new LinkedHashMap<>(base);
                Map<String, String> varying = new LinkedHashMap<>();
                varying.putAll(run);
                varying.putAll(point);
                settings.putAll(varying);
                List<String> args = arguments(settings);
                String problem = validate.apply(args);
                if (problem != null) {
                    String key = culprit(settings, validate);
                    String where = key == null ? "/base" : point.containsKey(key) ? "/grid/" + key
                            : run.containsKey(key) ? "/runs/" + index + "/" + key : "/base/" + key;
                    throw error(where, problem);
                }
                Integer same = settingsSeen.putIfAbsent(settings, index);
                if (same != null) {
                    // The entry's first key has a line; the entry itself has none.
                    throw error("/runs/" + index + (run.isEmpty() ? "" : "/" + run.keySet().iterator().next()),
                            "runs entry " + (index + 1) + " repeats entry " + (same + 1)
                            + ": both would train the very same runs (repeats need other seeds)");
                }
                String name = runName(varying);
                int seen = names.merge(name, 1, Integer::sum);
                planned.add(new PlannedRun(seen == 1 ? name : name + "-" + seen, settings, varying, args));
            }
        }
        return planned;
    }

    private List<String> arguments(Map<String, String> settings) throws ExperimentException {
        List<String> args = new ArrayList<>();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String key = e.getKey();
            if (Set.of("out", "resume", "overwrite", "quiet", "json").contains(key)) {
                throw error(key, "'" + key + "' is set by gan experiment itself");
            }
            if (e.getValue().equals("true") || e.getValue().equals("false")) {
                if (e.getValue().equals("true")) {
                    args.add("--" + key);
                }
            } else {
                args.add("--" + key);
                args.add(e.getValue());
            }
        }
        return args;
    }

    /** The first setting that is wrong on its own, to point at its line. */
    private String culprit(Map<String, String> settings, Function<List<String>, String> validate)
            throws ExperimentException {
        for (Map.Entry<String, String> e : settings.entrySet()) {
            if (validate.apply(arguments(Map.of(e.getKey(), e.getValue()))) != null) {
                return e.getKey();
            }
        }
        return null;
    }

    private List<Map<String, String>> gridPoints() {
        List<Map<String, String>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> axis : grid.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> point : points) {
                for (String value : axis.getValue()) {
                    Map<String, String> p = new LinkedHashMap<>(point);
                    p.put(axis.getKey(), value);
                    next.add(p);
                }
            }
            points = next;
        }
        return points;
    }

    /** A stable, readable directory name from the varying settings, e.g. {@code conditional=true_lr-g=0.001_seed=1}. */
    static String runName(Map<String, String> varying) {
        if (varying.isEmpty()) {
            return "base";
        }
        StringBuilder name = new StringBuilder();
        varying.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> name
                .append(name.length() == 0 ? "" : "_").append(e.getKey()).append('=').append(e.getValue()));
        String safe = name.toString().replaceAll("[^A-Za-z0-9._=+-]", "-");
        if (safe.length() > 120) {
            safe = safe.substring(0, 100) + "-" + Integer.toHexString(safe.hashCode());
        }
        return safe;
    }
}
