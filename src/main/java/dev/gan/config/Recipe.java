package dev.gan.config;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.gan.model.Architecture;
import dev.gan.util.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A named set of training settings, read from the table {@code recipes.json} beside this class: for each version,
 * what it changes and the options it sets for each kind of model (MLP or DCGAN, plain or conditional), on top of
 * the reference settings and the architecture's. A recipe's name never changes meaning: a better set of settings
 * gets a new version, {@code improved} names the newest, and config.json records the version a run used.
 * Explicit options given after a recipe still win. How each version measured is in docs/lab/.
 *
 * @param sets option name (as gan train spells it, without dashes) to value, per kind of model
 */
public record Recipe(String id, String changes, Map<String, Map<String, Object>> sets) {

    /** The recipe gan train uses when none is named. */
    public static final String DEFAULT_NAME = "stable-1";
    /** Exactly the reference tutorial's settings. */
    public static final String REFERENCE_NAME = "reference";
    /** The name that always means the newest improved version. */
    public static final String IMPROVED = "improved";
    /** The newest version's name, for the help: a constant, so that an annotation can say it. */
    public static final String NEWEST_NAME = "improved-13";

    private static final List<Recipe> ALL = load();

    public Recipe {
        for (Architecture arch : Architecture.values()) {
            for (boolean conditional : new boolean[] {false, true}) {
                if (!sets.containsKey(kind(arch, conditional))) {
                    throw new IllegalStateException("recipe " + id + " says nothing for " + kind(arch, conditional));
                }
            }
        }
    }

    /** Every version, oldest first. */
    public static List<Recipe> all() {
        return ALL;
    }

    /** A recipe by its name or the alias {@code improved}; an unknown name lists the known ones. */
    public static Recipe named(String name) {
        String wanted = IMPROVED.equals(name) ? NEWEST_NAME : name;
        return ALL.stream().filter(r -> r.id.equals(wanted)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "unknown recipe '" + name + "' (expected " + IMPROVED + ", "
                        + String.join(", ", ALL.stream().map(Recipe::id).toList()) + ", or list)"));
    }

    /** The options this recipe sets for one kind of model, in the table's order. */
    public Map<String, Object> settings(boolean conditional, Architecture arch) {
        return sets.get(kind(arch, conditional));
    }

    /** The table's name for a kind of model: "mlp plain", "dcgan conditional". */
    static String kind(Architecture arch, boolean conditional) {
        return arch.name().toLowerCase(Locale.ROOT) + (conditional ? " conditional" : " plain");
    }

    private static List<Recipe> load() {
        try (InputStream table = Recipe.class.getResourceAsStream("recipes.json")) {
            if (table == null) {
                throw new IllegalStateException("recipes.json is missing from the build");
            }
            return List.copyOf(Json.MAPPER.readValue(table, new TypeReference<List<Recipe>>() { }));
        } catch (IOException e) {
            throw new UncheckedIOException("recipes.json cannot be read", e);
        }
    }
}
