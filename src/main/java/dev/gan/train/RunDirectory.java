package dev.gan.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The layout of a run directory: what a training run leaves behind, and where. */
public record RunDirectory(Path root) {

    public Path config() {
        return root.resolve("config.json");
    }

    public Path metrics() {
        return root.resolve("metrics.csv");
    }

    public Path samples() {
        return root.resolve("samples");
    }

    public Path sampleGrid(int epoch) {
        return samples().resolve(String.format("epoch-%03d.png", epoch));
    }

    public Path checkpoints() {
        return root.resolve("checkpoints");
    }

    public Path generator() {
        return root.resolve("generator.zip");
    }

    public Path log() {
        return root.resolve("train.log");
    }

    public boolean isEmptyOrMissing() throws IOException {
        if (!Files.exists(root)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.findAny().isEmpty();
        }
    }

    /** Removes everything inside the directory (for --overwrite), keeping the directory itself. */
    public void clear() throws IOException {
        if (Files.isDirectory(root)) {
            try (Stream<Path> entries = Files.list(root)) {
                for (Path entry : entries.toList()) {
                    Checkpoints.deleteRecursively(entry);
                }
            }
        }
    }
}
