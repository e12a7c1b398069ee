package dev.gan.train;

import dev.gan.model.GeneratorFile;
import dev.gan.model.InputGradientGraph;
import dev.gan.model.ModelSpec;
import dev.gan.util.AtomicFiles;
import dev.gan.util.Json;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Checkpoints of a run: {@code checkpoints/epoch-NNNN/} with both networks (parameters and Adam state) and
 * {@code state.json}. A checkpoint is assembled in a hidden temporary directory and renamed into place, so a
 * directory with a final name is always complete. Randomness needs no saved state: every epoch reseeds
 * from (seed, epoch), see {@link Seeds}.
 */
public final class Checkpoints {

    static final String GENERATOR = "generator.zip";
    static final String DISCRIMINATOR = "discriminator.zip";
    /** Present when the run keeps a moving average of G ({@code --ema}): that average, as a generator file. */
    static final String GENERATOR_AVERAGE = GeneratorFile.AVERAGE_FILE_NAME;
    static final String STATE = "state.json";
    private static final String PREFIX = "epoch-";

    /**
     * Where training stands when a checkpoint is written: {@code epoch} epochs completed, then {@code batch}
     * batches of the next one (0 at an epoch boundary; more when a run was stopped mid-epoch), and
     * {@code iteration} iterations in all.
     */
    public record State(int epoch, int batch, long iteration) {
    }

    /** A checkpoint read back. */
    public record Loaded(ComputationGraph generator, InputGradientGraph discriminator, INDArray averageParameters,
                         State state, Path path) {
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

    /** The newest complete checkpoint, if any. */
    public Optional<Loaded> loadLatest() throws IOException {
        List<Path> complete = complete();
        if (complete.isEmpty()) {
            return Optional.empty();
        }
        Path latest = complete.get(complete.size() - 1);
        State state = Json.MAPPER.readValue(latest.resolve(STATE).toFile(), State.class);
        ComputationGraph generator = ModelSerializer.restoreComputationGraph(latest.resolve(GENERATOR).toFile(), true);
        InputGradientGraph discriminator = InputGradientGraph.of(
                ModelSerializer.restoreComputationGraph(latest.resolve(DISCRIMINATOR).toFile(), true));
        Path averageFile = latest.resolve(GENERATOR_AVERAGE);
        INDArray average = Files.isRegularFile(averageFile)
                ? ModelSerializer.restoreComputationGraph(averageFile.toFile(), false).params() : null;
        return Optional.of(new Loaded(generator, discriminator, average, state, latest));
    }

    /** Final-named checkpoint directories, oldest first. */
    public List<Path> complete() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(PREFIX))
                    .filter(p -> Files.isRegularFile(p.resolve(STATE)))
                    .sorted(Comparator.comparingLong(Checkpoints::iterationOf))
                    .toList();
        }
    }

    private static long iterationOf(Path checkpoint) {
        try {
            return Json.MAPPER.readValue(checkpoint.resolve(STATE).toFile(), State.class).iteration();
        } catch (IOException e) {
            return -1;
        }
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
