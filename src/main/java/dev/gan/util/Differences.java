package dev.gan.util;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
        JsonNode a = Json.MAPPER.valueToTree(before);
        JsonNode b = Json.MAPPER.valueToTree(now);
        List<String> changed = new ArrayList<>();
        Iterator<String> names = a.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!ignored.contains(name) && !a.get(name).equals(b.get(name))) {
                changed.add("'" + name + "' was " + a.get(name) + ", is now " + b.get(name));
            }
        }
        return changed.isEmpty() ? null : String.join(", ", changed);
    }
}
