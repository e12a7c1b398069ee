package dev.gan.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
        return new DataFiles(readable(find(dir, split.imagesFileName())), readable(find(dir, split.labelsFileName())));
    }

    /**
     * These files, unless they are another known data set's than {@code dataset} (Fashion-MNIST's where MNIST is
     * named, say): read as it, they would be judged and labelled as the wrong images, and a classifier trained on
     * them saved as the other's. Only the labels file is summed (kilobytes); images and labels come as a pair.
     */
    public DataFiles requirePublishedBy(DatasetName dataset) throws DataException {
        Optional<DatasetName> publisher;
        try {
            publisher = DatasetName.publisherOf(labels);
        } catch (IOException e) {
            return this; // reading the file says what is wrong with it, naming it
        }
        if (publisher.isPresent() && publisher.get() != dataset) {
            DatasetName other = publisher.get();
            throw new DataException(labels + ": " + other.displayName() + "'s labels, not " + dataset.displayName()
                    + "'s: use --dataset " + other.id() + ", or name a folder of " + dataset.displayName()
                    + " with --data");
        }
        return this;
    }

    /** A data file that is there but cannot be read as one (a folder, a broken or looping link) is named as such. */
    private static Path readable(Path file) throws DataException {
        if (Files.isRegularFile(file)) {
            return file;
        }
        if (Files.isDirectory(file)) {
            throw new DataException(file + ": is a directory, not a data file");
        }
        if (Files.isSymbolicLink(file)) {
            throw new DataException(file + ": is a symbolic link that leads to no file (broken, or a loop)");
        }
        throw new DataException(file + ": is not a regular file");
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
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) { // then it must be readable: see readable()
                return path;
            }
        }
        return null;
    }
}
