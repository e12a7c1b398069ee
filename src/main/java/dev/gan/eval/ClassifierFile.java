package dev.gan.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.gan.model.InvalidModelException;
import dev.gan.util.AtomicFiles;
import dev.gan.util.Json;
import dev.gan.util.Messages;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A trained classifier on disk: DL4J's model zip plus {@code gan-classifier.json} with its provenance. */
public final class ClassifierFile {

    static final String INFO_ENTRY = "gan-classifier.json";

    /**
     * Where the classifier came from and how good it is on its held-out images ({@code heldOutImages}: which they
     * were; null in files written before it was recorded, which held out the last {@code heldOut} of their data).
     */
    public record Info(String dataset, String images, String imagesSha256, String labelsSha256, int trainedOn,
                       int heldOut, int epochs, double heldOutAccuracy, long seed, String heldOutImages) {
    }

    /** A classifier with its description, and the file it was read from or saved to (null before it is saved). */
    public record Loaded(DigitClassifier classifier, Info info, Path file) {
        public Loaded withFile(Path saved) {
            return new Loaded(classifier, info, saved);
        }
    }

    private ClassifierFile() {
    }

    /**
     * {@code ~/.gan/classifier/<dataset>-<split>.zip}: the name says what the default classifier learnt from, so
     * one that saw the test split is never taken to judge against it.
     */
    public static Path defaultPath(String dataset, dev.gan.data.Split learntFrom) {
        return dev.gan.system.UserFiles.root().resolve("classifier").resolve(dataset + "-" + learntFrom.name().toLowerCase(java.util.Locale.ROOT) + ".zip");
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
            return new Loaded(new DigitClassifier(ModelSerializer.restoreComputationGraph(file.toFile(), false)), info, file);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new InvalidModelException(file + ": the classifier description inside is unreadable", e);
        } catch (IOException | RuntimeException e) {
            throw new InvalidModelException(file + ": not a gan classifier file (" + Messages.firstLine(e) + ")", e);
        }
    }
}
