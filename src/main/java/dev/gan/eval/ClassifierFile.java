package dev.gan.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.gan.model.InvalidModelException;
import dev.gan.util.AtomicFiles;
import dev.gan.util.Json;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A trained classifier on disk: DL4J's model zip plus {@code gan-classifier.json} with its provenance. */
public final class ClassifierFile {

    static final String INFO_ENTRY = "gan-classifier.json";

    /** Where the classifier came from and how good it is on its held-out images. */
    public record Info(String dataset, String images, String imagesSha256, String labelsSha256, int trainedOn,
                       int heldOut, int epochs, double heldOutAccuracy, long seed) {
    }

    public record Loaded(DigitClassifier classifier, Info info) {
    }

    private ClassifierFile() {
    }

    /** {@code ~/.gan/classifier/<dataset>.zip} */
    public static Path defaultPath(String dataset) {
        return Path.of(System.getProperty("user.home"), ".gan", "classifier", dataset + ".zip");
    }

    public static void save(DigitClassifier classifier, Info info, Path target) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        String json = Json.MAPPER.writeValueAsString(info);
        AtomicFiles.writeFile(target, tmp -> {
            ModelSerializer.writeModel(classifier.graph(), tmp.toFile(), false);
            ModelSerializer.addObjectToFile(tmp.toFile(), INFO_ENTRY, json);
        });
    }

    public static Loaded load(Path file) throws InvalidModelException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidModelException(file + ": classifier file not found");
        }
        try {
            Info info = Json.MAPPER.readValue((String) ModelSerializer.getObjectFromFile(file.toFile(), INFO_ENTRY), Info.class);
            return new Loaded(new DigitClassifier(ModelSerializer.restoreComputationGraph(file.toFile(), false)), info);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new InvalidModelException(file + ": the classifier description inside is unreadable", e);
        } catch (IOException | RuntimeException e) {
            throw new InvalidModelException(file + ": not a gan classifier file (" + e.getClass().getSimpleName() + ")", e);
        }
    }
}
