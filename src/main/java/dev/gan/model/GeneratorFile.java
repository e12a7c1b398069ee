package dev.gan.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.gan.util.AtomicFiles;
import dev.gan.util.Checksums;
import dev.gan.util.Json;
import dev.gan.util.Messages;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A generator on disk: DL4J's model zip plus an entry {@code gan-model.json} holding its {@link ModelSpec},
 * so that sampling needs no flags about model kind, noise or image size.
 */
public final class GeneratorFile {

    static final String SPEC_ENTRY = "gan-model.json";
    /** SHA-256 of the entries DL4J wrote, to tell a damaged file from a good one (files since late 2026). */
    static final String DIGESTS_ENTRY = "gan-digests.json";
    /** Where ModelSerializer keeps added objects inside the zip. */
    private static final String OBJECTS = "objects/";
    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, String>> DIGESTS_TYPE =
            new com.fasterxml.jackson.core.type.TypeReference<>() { };

    /** A generator with the facts needed to sample from it. */
    public record Loaded(ComputationGraph generator, ModelSpec spec) {
    }

    /** The generator of a run directory or a checkpoint. */
    public static final String FILE_NAME = "generator.zip";
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

    /** {@link #locate}'s file, refused unless it is there. */
    public static Path locateExisting(Path runDir, Path model) throws InvalidModelException {
        Path file = locate(runDir, model);
        requireFile(file);
        return file;
    }

    private static void requireFile(Path file) throws InvalidModelException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidModelException(file + ": model file not found");
        }
    }

    public static void save(ComputationGraph generator, ModelSpec spec, Path target, boolean withUpdater)
            throws IOException {
        String specJson = Json.MAPPER.writeValueAsString(spec);
        AtomicFiles.writeFile(target, tmp -> {
            ModelSerializer.writeModel(generator, tmp.toFile(), withUpdater);
            String digests = Json.MAPPER.writeValueAsString(digests(tmp));
            ModelSerializer.addObjectToFile(tmp.toFile(), SPEC_ENTRY, specJson);
            ModelSerializer.addObjectToFile(tmp.toFile(), DIGESTS_ENTRY, digests);
        });
    }

    /**
     * Loads a generator file; {@link InvalidModelException} when it is missing, corrupt or not a gan generator.
     * Corrupt includes a description that does not fit the network (a hand-edited size) and, for files that
     * carry them, content whose SHA-256 differs from the one written with it.
     */
    public static Loaded load(Path file, boolean withUpdater) throws InvalidModelException {
        requireFile(file);
        ModelSpec spec;
        Map<String, String> recorded;
        try {
            Object json = ModelSerializer.getObjectFromFile(file.toFile(), SPEC_ENTRY);
            spec = Json.MAPPER.readValue((String) json, ModelSpec.class);
            recorded = hasEntry(file, OBJECTS + DIGESTS_ENTRY) ? Json.MAPPER.readValue(
                    (String) ModelSerializer.getObjectFromFile(file.toFile(), DIGESTS_ENTRY), DIGESTS_TYPE) : null;
        } catch (JsonProcessingException | ClassCastException e) {
            throw new InvalidModelException(file + ": the model description inside is unreadable", e);
        } catch (IOException | RuntimeException e) {
            throw new InvalidModelException(file + ": not a gan generator file (" + Messages.firstLine(e) + ")", e);
        }
        try {
            if (recorded != null && !recorded.equals(digests(file))) {
                throw new InvalidModelException(file + ": corrupt model file (its content differs from the checksums "
                        + "written with it)");
            }
            ComputationGraph graph = ModelSerializer.restoreComputationGraph(file.toFile(), withUpdater);
            if (graph.getConfiguration().getNetworkInputs().size() != (spec.conditional() ? 2 : 1)
                    || graph.getNumOutputArrays() != 1) {
                throw new InvalidModelException(file + ": the network does not match its description ("
                        + spec.kind() + " generator)");
            }
            checkDescription(file, graph, spec);
            return new Loaded(graph, spec);
        } catch (IOException | RuntimeException e) {
            throw new InvalidModelException(file + ": corrupt model file (" + Messages.firstLine(e) + ")", e);
        }
    }

    /** The description must be the network's: its parameter count, and one image of its size from one input. */
    private static void checkDescription(Path file, ComputationGraph graph, ModelSpec spec) throws InvalidModelException {
        String problem = null;
        if (spec.rows() <= 0 || spec.cols() <= 0 || spec.noiseDim() <= 0 || spec.hidden() <= 0
                || (spec.conditional() && spec.numClasses() <= 0)) {
            problem = "sizes must be positive";
        } else if (ModelSize.of(spec, 1).generatorParameters() != graph.numParams()) {
            problem = String.format(java.util.Locale.ROOT, "it describes %.0f parameters, the network has %d",
                    ModelSize.of(spec, 1).generatorParameters(), graph.numParams());
        } else {
            INDArray noise = Nd4j.zeros(DataType.FLOAT, 1, spec.noiseDim());
            INDArray image;
            try {
                image = spec.conditional()
                        ? graph.output(false, noise, Nd4j.zeros(DataType.FLOAT, 1, spec.numClasses()))[0]
                        : graph.outputSingle(false, noise);
            } catch (RuntimeException e) {
                throw new InvalidModelException(file + ": corrupt model: the network does not run on its described "
                        + "input (" + Messages.firstLine(e) + ")", e);
            }
            if (image.length() != spec.imageSize()) {
                problem = "it describes " + spec.rows() + "x" + spec.cols() + " images, the network draws "
                        + image.length() + " pixels";
            }
        }
        if (problem != null) {
            throw new InvalidModelException(file + ": corrupt model: the description inside does not fit the network ("
                    + problem + ")");
        }
    }

    /** SHA-256 of every entry DL4J wrote (configuration, coefficients, updater state), by entry name. */
    private static Map<String, String> digests(Path zip) throws IOException {
        Map<String, String> digests = new TreeMap<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(file.entries())) {
                if (entry.getName().startsWith(OBJECTS)) {
                    continue;
                }
                try (InputStream in = file.getInputStream(entry)) {
                    digests.put(entry.getName(), Checksums.sha256(in));
                }
            }
        }
        return digests;
    }

    private static boolean hasEntry(Path zip, String name) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            return file.getEntry(name) != null;
        }
    }
}
