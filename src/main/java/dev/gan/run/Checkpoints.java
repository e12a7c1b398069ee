package dev.gan.run;

import dev.gan.config.GanConfig;
import dev.gan.model.GeneratorFile;
import dev.gan.model.InputGradientGraph;
import dev.gan.model.InvalidModelException;
import dev.gan.model.ModelSpec;
import dev.gan.optim.GeneratorAverage;
import dev.gan.util.AtomicFiles;
import dev.gan.util.Json;
import dev.gan.util.Messages;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checkpoints of a run: {@code checkpoints/epoch-NNNN/} with both networks (parameters and Adam state) and
 * {@code state.json}. A checkpoint is assembled in a hidden temporary directory and renamed into place, so a
 * directory with a final name is always complete. Randomness needs no saved state: every epoch reseeds
 * from (seed, epoch) (see the train package's Seeds).
 */
public final class Checkpoints {

    static final String GENERATOR = "generator.zip";
    static final String DISCRIMINATOR = "discriminator.zip";
    /** Present when the run keeps a moving average of G ({@code --ema}): that average, as a generator file. */
    static final String GENERATOR_AVERAGE = GeneratorFile.AVERAGE_FILE_NAME;
    static final String STATE = "state.json";
    private static final String PREFIX = "epoch-";
    private static final Pattern NAME = Pattern.compile("epoch-(\\d{4,9})(?:-batch-(\\d{5,9}))?");

    /**
     * Where training stands when a checkpoint is written: {@code epoch} epochs completed, then {@code batch}
     * batches of the next one (0 at an epoch boundary; more when a run was stopped mid-epoch), and
     * {@code iteration} iterations in all. {@code partial} holds the sums of that unfinished epoch's
     * statistics, so a resumed run writes the same metrics.csv row as an uninterrupted one; {@code config} is
     * the configuration that trained it, to notice a config.json edited since; {@code engine} what the training
     * step keeps besides the networks (spectral norm's vectors). Each is null in checkpoints written before it
     * existed.
     */
    public record State(int epoch, int batch, long iteration, EpochSums partial, GanConfig config,
                        Map<String, float[]> engine) {
        public State(int epoch, int batch, long iteration) {
            this(epoch, batch, iteration, null, null, null);
        }
    }

    /** A checkpoint read back; {@code skipped} names newer checkpoints that could not be read, and why. */
    public record Loaded(ComputationGraph generator, ModelSpec spec, InputGradientGraph discriminator,
                         INDArray averageParameters, State state, Path path, List<String> skipped) {
    }

    private final Path dir;
    private final int keep;

    public Checkpoints(Path dir, int keep) {
        this.dir = dir;
        this.keep = keep;
    }

    public Path save(ComputationGraph generator, InputGradientGraph discriminator, GeneratorAverage average,
                     ModelSpec spec, State state) throws IOException {
        Files.createDirectories(dir);
        String name = state.batch() == 0 ? String.format("%s%04d", PREFIX, state.epoch())
                : String.format("%s%04d-batch-%05d", PREFIX, state.epoch(), state.batch());
        Path tmp = Files.createTempDirectory(dir, "." + name + "-");
        try {
            GeneratorFile.save(generator, spec, tmp.resolve(GENERATOR), true);
            if (average != null) {
                GeneratorFile.save(average.averagedGenerator(), spec, tmp.resolve(GENERATOR_AVERAGE), false);
            }
            AtomicFiles.writeFile(tmp.resolve(DISCRIMINATOR),
                    file -> ModelSerializer.writeModel(discriminator, file.toFile(), true));
            AtomicFiles.writeString(tmp.resolve(STATE), Json.MAPPER.writeValueAsString(state));
            Path target = dir.resolve(name);
            if (Files.exists(target)) {
                deleteRecursively(target);
            }
            Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            prune();
            return target;
        } finally {
            if (Files.exists(tmp)) {
                deleteRecursively(tmp);
            }
        }
    }

    /**
     * The newest checkpoint that reads back whole. A checkpoint with an unreadable file (a truncated zip, a
     * damaged state.json) is passed over for the one before it, and named in {@link Loaded#skipped()}; when
     * checkpoints exist but none reads, the run cannot continue and {@link InvalidRunException} says so.
     */
    public Optional<Loaded> loadLatest() throws IOException {
        List<Path> complete = complete();
        List<String> skipped = new ArrayList<>();
        for (int i = complete.size() - 1; i >= 0; i--) {
            Path checkpoint = complete.get(i);
            try {
                return Optional.of(load(checkpoint, skipped));
            } catch (IOException | InvalidModelException | RuntimeException e) {
                skipped.add(checkpoint + " is unreadable (" + Messages.firstLine(e) + ")");
            }
        }
        if (!skipped.isEmpty()) {
            throw new InvalidRunException("no checkpoint of " + dir.getParent() + " can be read: "
                    + String.join("; ", skipped));
        }
        return Optional.empty();
    }

    private static Loaded load(Path checkpoint, List<String> skipped) throws IOException, InvalidModelException {
        State state;
        try {
            state = Json.MAPPER.readValue(checkpoint.resolve(STATE).toFile(), State.class);
        } catch (IOException e) {
            throw new IOException(STATE + ": " + Messages.firstLine(e), e);
        }
        GeneratorFile.Loaded generator = GeneratorFile.load(checkpoint.resolve(GENERATOR), true);
        InputGradientGraph discriminator;
        Path discriminatorFile = checkpoint.resolve(DISCRIMINATOR);
        try {
            discriminator = InputGradientGraph.of(ModelSerializer.restoreComputationGraph(discriminatorFile.toFile(), true));
        } catch (IOException | RuntimeException e) {
            throw new IOException(discriminatorFile.getFileName() + ": " + Messages.firstLine(e), e);
        }
        Path averageFile = checkpoint.resolve(GENERATOR_AVERAGE);
        INDArray average = Files.exists(averageFile) ? GeneratorFile.load(averageFile, false).generator().params() : null;
        return new Loaded(generator.generator(), generator.spec(), discriminator, average, state, checkpoint,
                List.copyOf(skipped));
    }

    /** Final-named checkpoint directories, oldest first (by the epoch and batch in their names). */
    public List<Path> complete() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.isRegularFile(p.resolve(STATE)))
                    .sorted(Comparator.comparingLong(Checkpoints::positionOf))
                    .toList();
        }
    }

    /** Where in the run a checkpoint stands, from its name: epoch-NNNN or epoch-NNNN-batch-NNNNN. */
    private static long positionOf(Path checkpoint) {
        Matcher m = NAME.matcher(checkpoint.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(checkpoint + ": not a checkpoint name");
        }
        return Long.parseLong(m.group(1)) * 1_000_000_000L + (m.group(2) == null ? 0 : Long.parseLong(m.group(2)));
    }

    /** Removes hidden leftovers of checkpoint writes that a killed process never finished. */
    public void removeUnfinished() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.filter(p -> p.getFileName().toString().startsWith(".")).toList()) {
                deleteRecursively(entry);
            }
        }
    }

    private void prune() throws IOException {
        List<Path> complete = complete();
        for (int i = 0; i < complete.size() - keep; i++) {
            deleteRecursively(complete.get(i));
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
