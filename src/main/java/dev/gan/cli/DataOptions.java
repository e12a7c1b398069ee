package dev.gan.cli;

import dev.gan.data.DataException;
import dev.gan.data.DataFiles;
import dev.gan.data.DatasetName;
import dev.gan.data.DownloadListener;
import dev.gan.data.MnistDownloader;
import dev.gan.data.Split;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Which data to use and where it comes from: shared by every command that reads a data set. */
final class DataOptions {

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "mnist", converter = DatasetConverter.class,
            description = "mnist or fashion (default: ${DEFAULT-VALUE}).")
    DatasetName dataset = DatasetName.MNIST;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory with the IDX files (default: $GAN_DATA, else ~/.gan/data/mnist; "
                    + "for fashion /usr/share/datasets/fashion-mnist).")
    Path dir;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "train",
            description = "train or test: the train-* or t10k-* files (default: ${DEFAULT-VALUE}).")
    Split split = Split.TRAIN;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "Use only the first N images (default: all).")
    int limit;

    @Option(names = "--offline", description = "Never download; fail if the data files are missing.")
    boolean offline;

    @Option(names = "--mirror", paramLabel = "URL", converter = MirrorConverter.class,
            description = "Download from this mirror instead of the built-in list (an http or https URL; repeatable, "
                    + "tried in order).")
    List<String> mirrors = new ArrayList<>();

    Path resolvedDir() {
        return dir != null ? dir : dataset.defaultDirectory(System.getenv(), dev.gan.system.UserFiles.root());
    }

    void validate(picocli.CommandLine commandLine) {
        if (limit < 0 || (limit == 0 && commandLine.getParseResult().hasMatchedOption("--limit"))) {
            throw new picocli.CommandLine.ParameterException(commandLine,
                    "Invalid value for option '--limit': " + limit + " (must be a positive number of images)");
        }
    }

    /** The data files, downloaded first if they are missing and downloads are allowed. */
    DataFiles locate(DownloadListener listener) throws DataException {
        return locate(split, listener);
    }

    /** The files of another split of the same data, downloaded first if they are missing and downloads are allowed. */
    DataFiles locate(Split split, DownloadListener listener) throws DataException {
        return locate(dataset, resolvedDir(), split, listener);
    }

    /**
     * The files of {@code split} of {@code dataset} in {@code dir} (a run's own data folder, say), downloaded first
     * as these options allow.
     */
    DataFiles locate(DatasetName dataset, Path dir, Split split, DownloadListener listener) throws DataException {
        if (!DataFiles.missing(dir, split).isEmpty() && !offline) {
            List<String> from = mirrors.isEmpty() ? dataset.mirrors() : mirrors;
            new MnistDownloader().downloadMissing(dataset, split, dir, from, listener);
        }
        return DataFiles.locate(dir, split).requirePublishedBy(dataset);
    }

    /** A mirror is where the downloader can go: an http or https URL with a host. */
    static final class MirrorConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            java.net.URI uri;
            try {
                uri = new java.net.URI(value);
            } catch (java.net.URISyntaxException e) {
                uri = null;
            }
            if (uri == null || uri.getHost() == null
                    || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
                throw new picocli.CommandLine.TypeConversionException("'" + value
                        + "' is not an http or https URL (for example https://example.org/mnist/)");
            }
            return value;
        }
    }

    static final class DatasetConverter implements ITypeConverter<DatasetName> {
        @Override
        public DatasetName convert(String value) {
            try {
                return DatasetName.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
