package dev.gan.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Locates the images and labels files of one split in a directory, accepting the standard MNIST names
 * with or without {@code .gz}.
 */
public record DataFiles(Path images, Path labels) {

    /** The files of {@code split} in {@code dir}, or a DataException naming what is missing and where. */
    public static DataFiles locate(Path dir, Split split) throws DataException {
        List<String> missing = missing(dir, split);
        if (!missing.isEmpty()) {
            throw new DataException(dir + ": missing " + String.join(", ", missing)
                    + " (put the MNIST-format files there, with or without .gz, or allow the download)");
        }
        return new DataFiles(find(dir, split.imagesFileName()), find(dir, split.labelsFileName()));
    }

    /** The gzip names of the files of {@code split} that {@code dir} lacks in either form. */
    public static List<String> missing(Path dir, Split split) {
        List<String> missing = new ArrayList<>();
        for (String name : List.of(split.imagesFileName(), split.labelsFileName())) {
            if (find(dir, name) == null) {
                missing.add(name + ".gz");
            }
        }
        return missing;
    }

    private static Path find(Path dir, String baseName) {
        for (String candidate : List.of(baseName + ".gz", baseName)) {
            Path path = dir.resolve(candidate);
            if (Files.isRegularFile(path)) {
                return path;
            }
        }
        return null;
    }
}
