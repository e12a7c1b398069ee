package dev.gan.util;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Names the fields in which two values differ, compared as their JSON forms (as config.json shows them). */
public final class Differences {

    private Differences() {
    }

    /**
     * "'hidden' was 256, is now 512" for each field of {@code before} and {@code now} that differs, joined, or
     * null when they agree on every field outside {@code ignored}.
     */
    public static String describe(Object before, Object now, Set<String> ignored) {
        List<String> changed = new ArrayList<>();
        changed(before, now, ignored).forEach((name, values) ->
                changed.add("'" + name + "' was " + values[0] + ", is now " + values[1]));
        return changed.isEmpty() ? null : String.join(", ", changed);
    }

    /** Each field outside {@code ignored} whose JSON value differs, with {before, now}, in {@code before}'s order. */
    public static Map<String, JsonNode[]> changed(Object before, Object now, Set<String> ignored) {
        JsonNode a = Json.MAPPER.valueToTree(before);
        JsonNode b = Json.MAPPER.valueToTree(now);
        Map<String, JsonNode[]> changed = new LinkedHashMap<>();
        Iterator<String> names = a.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!ignored.contains(name) && !a.get(name).equals(b.get(name))) {
                changed.put(name, new JsonNode[] {a.get(name), b.get(name)});
            }
        }
        return changed;
    }
}
