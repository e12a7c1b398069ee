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

    /** True when there is nothing in it but (perhaps) our own lock file. */
    public boolean isEmptyOrMissing() throws IOException {
        if (!Files.exists(root)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.noneMatch(p -> !p.getFileName().toString().equals(RunLock.FILE_NAME));
        }
    }

    /** Removes everything inside the directory but the lock (for --overwrite), keeping the directory itself. */
    public void clear() throws IOException {
        if (Files.isDirectory(root)) {
            try (Stream<Path> entries = Files.list(root)) {
                for (Path entry : entries.filter(p -> !p.getFileName().toString().equals(RunLock.FILE_NAME)).toList()) {
                    Checkpoints.deleteRecursively(entry);
                }
            }
        }
    }

    /** Deletes temporary files that a killed process left half-written (they never carry a final name). */
    public void removeUnfinishedWrites() throws IOException {
        for (Path folder : new Path[] {root, samples()}) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> entries = Files.list(folder)) {
                for (Path entry : entries.filter(p -> p.getFileName().toString().startsWith(".")
                        && p.getFileName().toString().endsWith(".tmp")).toList()) {
                    Files.deleteIfExists(entry);
                }
            }
        }
        new Checkpoints(checkpoints(), Integer.MAX_VALUE).removeUnfinished();
    }
}
