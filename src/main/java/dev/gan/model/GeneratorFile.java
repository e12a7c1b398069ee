package dev.gan.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.gan.util.AtomicFiles;
import dev.gan.util.Json;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A generator on disk: DL4J's model zip plus an entry {@code gan-model.json} holding its {@link ModelSpec},
 * so that sampling needs no flags about model kind, noise or image size.
 */
public final class GeneratorFile {

    static final String SPEC_ENTRY = "gan-model.json";

    /** A generator with the facts needed to sample from it. */
    public record Loaded(ComputationGraph generator, ModelSpec spec) {
    }

    static final String FILE_NAME = "generator.zip";
    /** In a checkpoint of a run with {@code --ema}: the moving average of G, which is what that run samples from. */
    public static final String AVERAGE_FILE_NAME = "generator-average.zip";

    private GeneratorFile() {
    }

    /**
     * The generator file a user means: {@code RUN_DIR/generator.zip} for a run directory, or the given model,
     * which may be a checkpoint directory (then its averaged generator if the run keeps one, else its
     * generator.zip).
     */
    public static Path locate(Path runDir, Path model) {
        if (runDir != null) {
            return runDir.resolve(FILE_NAME);
        }
        if (!Files.isDirectory(model)) {
            return model;
        }
        Path average = model.resolve(AVERAGE_FILE_NAME);
        return Files.isRegularFile(average) ? average : model.resolve(FILE_NAME);
    }

    public static void save(ComputationGraph generator, ModelSpec spec, Path target, boolean withUpdater)
            throws IOException {
        String specJson = Json.MAPPER.writeValueAsString(spec);
        AtomicFiles.writeFile(target, tmp -> {
            ModelSerializer.writeModel(generator, tmp.toFile(), withUpdater);
            ModelSerializer.addObjectToFile(tmp.toFile(), SPEC_ENTRY, specJson);
        });
    }

    /** Loads a generator file; {@link InvalidModelException} when it is missing, corrupt or not a gan generator. */
    public static Loaded load(Path file, boolean withUpdater) throws InvalidModelException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidModelException(file + ": model file not found");
        }
        ModelSpec spec;
        try {
            Object json = ModelSerializer.getObjectFromFile(file.toFile(), SPEC_ENTRY);
            spec = Json.MAPPER.readValue((String) json, ModelSpec.class);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new InvalidModelException(file + ": the model description inside is unreadable", e);
        } catch (RuntimeException e) {
            throw new InvalidModelException(file + ": not a gan generator file (" + firstLine(e) + ")", e);
        }
        try {
            ComputationGraph graph = ModelSerializer.restoreComputationGraph(file.toFile(), withUpdater);
            if (graph.getConfiguration().getNetworkInputs().size() != (spec.conditional() ? 2 : 1)
                    || graph.getNumOutputArrays() != 1) {
                throw new InvalidModelException(file + ": the network does not match its description ("
                        + spec.kind() + " generator)");
            }
            return new Loaded(graph, spec);
        } catch (IOException | RuntimeException e) {
            throw new InvalidModelException(file + ": corrupt model file (" + firstLine(e) + ")", e);
        }
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
