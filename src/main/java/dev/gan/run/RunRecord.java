package dev.gan.run;

import dev.gan.config.GanConfig;
import dev.gan.config.Recipe;
import dev.gan.model.ModelSpec;
import dev.gan.util.AtomicFiles;
import dev.gan.util.Json;
import dev.gan.util.Messages;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The content of {@code config.json}: the resolved configuration, the model it defines, the data files with
 * their checksums, and the versions and runtime that produced the run. {@code gan train --resume} rebuilds the
 * run from it alone.
 */
public record RunRecord(GanConfig config, ModelSpec model, DataRecord data, Map<String, Object> runtime,
                        String created, RecipeRecord recipe) {

    /** The recipe a run started from, by version, and what it set (null in config.json written before versions). */
    public record RecipeRecord(String name, String history, Map<String, Object> sets) {
        public static RecipeRecord of(GanConfig config) {
            Recipe recipe = Recipe.named(config.recipe());
            return new RecipeRecord(recipe.id(), recipe.changes(),
                    recipe.settings(config.model().conditional(), config.model().arch()));
        }
    }

    /** The data a run trained on, with SHA-256 checksums to notice if it changes under a resumed run. */
    public record DataRecord(Path images, String imagesSha256, Path labels, String labelsSha256, int count) {

        /** The files as they are now, with their checksums. */
        public static DataRecord of(dev.gan.data.DataFiles files, dev.gan.data.ImageDataset data) throws IOException {
            return new DataRecord(files.images().toAbsolutePath(), dev.gan.util.Checksums.sha256(files.images()),
                    files.labels().toAbsolutePath(), dev.gan.util.Checksums.sha256(files.labels()), data.count());
        }
    }

    /** The same run, trained to {@code epochs} epochs in all. */
    public RunRecord withEpochs(int epochs) {
        GanConfig changed;
        try {
            changed = config.withEpochs(epochs);
        } catch (IllegalArgumentException e) {
            throw new InvalidRunException("Invalid value for option '--epochs': " + e.getMessage());
        }
        return new RunRecord(changed, model, data, runtime, created, recipe);
    }

    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, Json.MAPPER.writeValueAsString(this) + "\n");
    }

    /** Reads a config.json; one that is empty, not JSON or not a run's record is an {@link InvalidRunException}. */
    public static RunRecord read(Path file) throws IOException {
        RunRecord record;
        try {
            record = Json.MAPPER.readValue(file.toFile(), RunRecord.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new InvalidRunException(file + ": not a readable gan config.json (" + Json.problem(e) + ")", e);
        } catch (IllegalArgumentException e) {
            throw new InvalidRunException(file + ": invalid setting (" + Messages.firstLine(e) + ")", e);
        }
        if (record == null || record.config() == null || record.model() == null || record.data() == null) {
            throw new InvalidRunException(file + ": not a gan config.json (it lacks config, model or data)");
        }
        return record;
    }
}
