package dev.gan.train;

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
                        String created) {

    /** The data a run trained on, with SHA-256 checksums to notice if it changes under a resumed run. */
    public record DataRecord(Path images, String imagesSha256, Path labels, String labelsSha256, int count) {
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
            throw new InvalidRunException(file + ": not a readable gan config.json ("
                    + Messages.firstLine(e.getOriginalMessage()) + ")", e);
        } catch (IllegalArgumentException e) {
            throw new InvalidRunException(file + ": invalid setting (" + Messages.firstLine(e) + ")", e);
        }
        if (record == null || record.config() == null || record.model() == null || record.data() == null) {
            throw new InvalidRunException(file + ": not a gan config.json (it lacks config, model or data)");
        }
        return record;
    }
}
