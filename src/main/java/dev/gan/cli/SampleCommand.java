package dev.gan.cli;

import dev.gan.config.GanConfig;
import dev.gan.data.DataException;
import dev.gan.data.DataFiles;
import dev.gan.eval.ClassifierFile;
import dev.gan.eval.DigitSelection;
import dev.gan.image.ImageGrid;
import dev.gan.model.GeneratorFile;
import dev.gan.model.InvalidModelException;
import dev.gan.model.MemoryBudget;
import dev.gan.model.NoiseKind;
import dev.gan.run.CollapseWatch;
import dev.gan.run.Ownership;
import dev.gan.run.RunRecord;
import dev.gan.sample.SampleWriter;
import dev.gan.sample.Sampler;
import dev.gan.util.AtomicFiles;
import dev.gan.util.Messages;
import dev.gan.util.Shell;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code gan sample}: draw images from a trained generator. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draw images from a trained generator as a PNG grid, IDX files, single PNGs or a GIF.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  gan sample --run runs/cgan --digit 7 --out sevens.png",
                "  gan sample --run runs/cgan --digits 0,3,7 --count 30 --out 037.png",
                "  gan sample --model runs/cgan/generator.zip --count 10000 --format idx --out fake",
                "  gan sample --run runs/cgan --interpolate --digit 3 --steps 10 --format gif --out walk.gif",
                "  gan sample --run runs/cgan --interpolate-labels 1,7 --steps 8 --out morph.png",
                "  gan sample --run runs/plain --digit 7    (a plain GAN: its 7s, as the digit classifier judges them)"})
final class SampleCommand implements Callable<Integer> {

    static final int MAX_COUNT = 1_000_000;
    /** A plain model's digits are kept in memory until all are found (nothing partial is written): at most these. */
    static final int MAX_SELECTED = 50_000;
    /** Interpolations are drawn whole before they are written (a GIF needs every frame): walks x steps at most. */
    static final int MAX_INTERPOLATED = 50_000;

    enum Format { png, idx, pngs, gif }

    /** What shell completion offers for --digit. */
    static final class DigitCandidates implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.stream.IntStream.range(0, 10).mapToObj(Integer::toString).iterator();
        }
    }

    @Spec
    CommandSpec spec;

    @Mixin
    BackendOption backend;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    GeneratorSource source;

    @Mixin
    RunsOption runs;

    @Option(names = "--digit", paramLabel = "D", completionCandidates = DigitCandidates.class,
            description = "Only this digit: a cGAN is asked for it; from a plain GAN, drawn images the digit "
                    + "classifier takes for it are kept.")
    Integer digit;

    @Option(names = "--digits", paramLabel = "D,D,...", split = ",", description = "These digits, one grid row each.")
    List<Integer> digits;

    @Option(names = "--categories", paramLabel = "C,C,...", split = ",",
            description = "A model trained with --noise categorical: these categories of z (0-9), one grid row each "
                    + "(with --info-weight each tends to be one kind of digit; which one is the model's choice).")
    List<Integer> categories;

    @Option(names = "--count", paramLabel = "N",
            description = "Images to draw (default: 100; with interpolation, the number of walks, default 1).")
    Integer count;

    @Mixin
    SeedOption seed;

    @Option(names = "--truncation", paramLabel = "T", description = "Redraw noise components with |z| > T.")
    Double truncation;

    @Option(names = "--out", paramLabel = "PATH",
            description = "Output (default: samples.png, or digit-D.png with --digit; .gif, -*-idx?-ubyte files and a "
                    + ".json record, or a folder by --format; numbered on, never overwritten). A name ending .gif makes "
                    + "a GIF.")
    Path out;

    @Option(names = "--format", paramLabel = "FMT", defaultValue = "png", description = "png, idx, pngs or gif (default: gif for an --out ending .gif, else ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--grid", paramLabel = "COLSxROWS", description = "Grid shape (default: one row per digit, else as square as possible).")
    String grid;

    @Option(names = "--scale", paramLabel = "K", defaultValue = "2", description = "Enlarge pixels K times (default: ${DEFAULT-VALUE}).")
    int scale;

    @Option(names = "--interpolate", description = "Walk the latent space between two noise vectors (spherical).")
    boolean interpolate;

    @Option(names = "--interpolate-labels", paramLabel = "A,B", split = ",", description = "Morph between two digits at fixed noise.")
    List<Integer> interpolateLabels;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "10", description = "Interpolation steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--force", description = "Overwrite existing output files.")
    boolean force;

    @Option(names = "--min-confidence", paramLabel = "P", defaultValue = "0.9",
            description = "Plain GAN with --digit/--digits: keep images the classifier assigns to the digit with at "
                    + "least this probability (default: ${DEFAULT-VALUE}).")
    double minConfidence;

    @Option(names = "--classifier", paramLabel = "FILE",
            description = "Plain GAN with --digit/--digits: the digit classifier (default: ~/.gan/classifier/<dataset>.zip, "
                    + "trained on first use from the run's own data).")
    Path classifier;

    @Mixin
    JsonOption json;

    /** The generator being sampled, once loaded. */
    private Sampler sampler;

    @Override
    public Integer call() throws IOException, InvalidModelException {
        backend.startComputing(spec.commandLine());
        CommandLine cli = spec.commandLine();
        validateOptions(cli);
        source = GeneratorSource.orNewest(source, runs, cli.getErr(), "sample");
        if (out != null) {
            checkOutput(cli, out);
            return sampleInto(cli, out);
        }
        Path output = claimDefaultOutput();
        try {
            return sampleInto(cli, output);
        } finally {
            for (Path target : targets(output)) {
                AtomicFiles.release(target);
            }
        }
    }

    private Integer sampleInto(CommandLine cli, Path output) throws IOException, InvalidModelException {
        GeneratorFile.Loaded model = GeneratorFile.load(source.existingFile(), false);
        Sampler sampler = new Sampler(model);
        var m = sampler.spec();
        MemoryBudget.requireForSampling(m, Sampler.BATCH);
        if (interpolateLabels != null && !m.conditional()) {
            throw new UsageException(source.file() + ": the model is unconditional (a plain GAN): "
                    + "--interpolate-labels needs a model trained with --conditional");
        }
        checkDigits(cli, m.numClasses());
        this.sampler = sampler;
        if (categories != null && (m.conditional() || m.noise() != NoiseKind.CATEGORICAL)) {
            throw new UsageException(source.file() + ": --categories needs a plain model trained with --noise "
                    + "categorical");
        }
        boolean picksDigits = !m.conditional() && (digit != null || digits != null);
        for (String option : new String[] {"--min-confidence", "--classifier"}) {
            if (!picksDigits && cli.getParseResult().hasMatchedOption(option)) {
                throw new UsageException(option + " is for picking a plain GAN's digits (--digit or --digits); "
                        + (m.conditional() ? source.file() + " is a cGAN: it draws the digits asked for"
                        : "no --digit was given"));
            }
        }
        if (picksDigits) {
            return sampleDigitsOfPlainModel(cli, sampler, output);
        }
        double t = truncation == null ? 0 : truncation;

        if (interpolate || interpolateLabels != null) {
            int walks = count == null ? 1 : count;
            if ((long) walks * steps > MAX_INTERPOLATED) {
                throw new CommandLine.ParameterException(cli, "Invalid value for option '--count': " + walks
                        + " walks of " + steps + " steps are " + (long) walks * steps + " images, more than the "
                        + MAX_INTERPOLATED + " an interpolation may draw");
            }
            float[] pixels = interpolate
                    ? sampler.interpolateLatent(walks, steps, digit == null ? 0 : digit, seed.seed, t)
                    : sampler.interpolateLabels(walks, steps, interpolateLabels.get(0), interpolateLabels.get(1), seed.seed, t);
            if (format == Format.gif) {
                int[] shape = gridShape(cli, walks);
                checkGridSize(cli, walks, shape, m.rows(), m.cols(), 2L * steps);
                SampleWriter.gif(pixels, walks, steps, m.rows(), m.cols(), shape[0], shape[1], scale, output,
                        provenance(cli));
            } else {
                writeImages(cli, SampleWriter.Source.of(pixels, walks * steps), walks * steps, null, m.rows(), m.cols(),
                        output, steps, walks);
            }
            report(cli, walks * steps, output, false);
            return ExitCodes.OK;
        }

        int n = count == null ? 100 : count;
        int[] labels = m.conditional() ? labelsFor(n, m.numClasses()) : null;
        int[] chosen = categories != null ? rowsOf(categories, n) : labels;
        // Drawn a batch at a time straight into the output: any --count fits in flat memory.
        SampleWriter.Source images = sink -> sampler.generate(n, chosen, seed.seed, t, sink);
        int chosenRows = digits != null ? digits.size() : categories != null ? categories.size() : 0;
        int perRow = chosenRows > 0 ? (n + chosenRows - 1) / chosenRows : 0;
        writeImages(cli, images, n, labels, m.rows(), m.cols(), output, perRow, chosenRows);
        report(cli, n, output, labels != null);
        return ExitCodes.OK;
    }

    /**
     * One line on stderr when the generator is a collapsed one: its run's metrics.csv says so at the last epoch, or
     * {@link QualityReport#SPREAD_SAMPLES} images drawn across the digits are nearly all alike.
     */
    private void warnIfCollapsed(CommandLine cli, Sampler sampler) {
        String notice = RunRecords.collapseAtEnd(RunRecords.directoryOf(source.run, source.model));
        if (notice == null) {
            int n = dev.gan.eval.QualityReport.SPREAD_SAMPLES;
            int[] labels = sampler.spec().conditional() ? labelsFor(n, sampler.spec().numClasses()) : null;
            float[] pixels = new float[n * sampler.spec().imageSize()];
            sampler.generate(n, labels, seed.seed, 0, (first, images, k) ->
                    System.arraycopy(images, 0, pixels, first * sampler.spec().imageSize(), k * sampler.spec().imageSize()));
            double spread = CollapseWatch.spread(pixels, n, sampler.spec().imageSize());
            if (spread < CollapseWatch.ALIKE_BELOW) {
                notice = String.format(Locale.ROOT, "the generator's images are nearly all alike (per-pixel spread "
                        + "%.3f; real images about 0.18 for MNIST, 0.27 for Fashion-MNIST): an untrained or "
                        + "collapsed model; %s", spread, CollapseWatch.ADVICE);
            }
        }
        if (notice != null) {
            cli.getErr().println("gan sample: " + notice);
            cli.getErr().flush();
        }
    }

    /**
     * --digit/--digits on a plain GAN: draw, classify, keep (see {@link DigitSelection}); with --interpolate, walk
     * between kept images of the digit. Exit 1 with one line when a digit is (almost) never drawn.
     */
    private int sampleDigitsOfPlainModel(CommandLine cli, Sampler sampler, Path output)
            throws IOException, InvalidModelException {
        var m = sampler.spec();
        int n = interpolate ? (count == null ? 1 : count) : (count == null ? 100 : count);
        int kept = interpolate ? 2 * n : n;
        if (kept > MAX_SELECTED || interpolate && (long) n * steps > MAX_INTERPOLATED) {
            throw new CommandLine.ParameterException(cli, "Invalid value for option '--count': " + n + " (a plain GAN's "
                    + "digits are kept in memory until all are found: at most " + MAX_SELECTED + " images"
                    + (interpolate ? ", and " + MAX_INTERPOLATED + " interpolated" : "") + ")");
        }
        if (interpolate && digits != null) {
            throw new CommandLine.ParameterException(cli, "--interpolate takes one --digit");
        }
        var loaded = classifierFor(cli);
        if (loaded.classifier().imageSize() != m.imageSize()) {
            throw new UsageException("the digit classifier takes " + loaded.classifier().imageSize()
                    + " pixels, the generator draws " + m.imageSize() + " (--classifier FILE for these images)");
        }
        double t = truncation == null ? 0 : truncation;
        DigitSelection.Kept selected;
        try {
            selected = DigitSelection.select(sampler.draws(seed.seed, t), loaded.classifier(),
                    labelsFor(kept, m.numClasses()), minConfidence);
        } catch (DigitSelection.TooRareException e) {
            cli.getErr().println("gan sample: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        cli.getErr().println(acceptance(selected));
        cli.getErr().flush();
        if (interpolate) {
            float[][] from = new float[n][];
            float[][] to = new float[n][];
            for (int w = 0; w < n; w++) {
                from[w] = selected.noise()[2 * w];
                to[w] = selected.noise()[2 * w + 1];
            }
            float[] pixels = sampler.interpolateBetween(from, to, steps);
            if (format == Format.gif) {
                int[] shape = gridShape(cli, n);
                checkGridSize(cli, n, shape, m.rows(), m.cols(), 2L * steps);
                SampleWriter.gif(pixels, n, steps, m.rows(), m.cols(), shape[0], shape[1], scale, output,
                        provenance(cli));
            } else {
                writeImages(cli, SampleWriter.Source.of(pixels, n * steps), n * steps, null, m.rows(), m.cols(), output,
                        steps, n);
            }
            report(cli, n * steps, output, false);
            return ExitCodes.OK;
        }
        int rowsOfDigits = digits != null ? digits.size() : 0;
        int perRow = rowsOfDigits > 0 ? (n + rowsOfDigits - 1) / rowsOfDigits : 0;
        writeImages(cli, SampleWriter.Source.of(selected.pixels(), n), n, selected.slots(), m.rows(), m.cols(), output,
                perRow, rowsOfDigits);
        report(cli, n, output, true);
        return ExitCodes.OK;
    }

    /** "kept 100 of 1,000 drawn images: 7s at 9.8% ..." for stderr. */
    private String acceptance(DigitSelection.Kept selected) {
        java.util.SortedSet<Integer> wanted = new java.util.TreeSet<>();
        for (int d : selected.slots()) {
            wanted.add(d);
        }
        StringBuilder rates = new StringBuilder();
        for (int d : wanted) {
            rates.append(rates.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%d: %.1f%%", d,
                    100 * selected.rate(d)));
        }
        return String.format(Locale.ROOT, "gan sample: kept %,d of %,d images drawn from the plain GAN; acceptance "
                + "(classifier confidence >= %.2f) %s", selected.slots().length, selected.drawn(), minConfidence, rates);
    }

    /**
     * --classifier, else the default one for the run's dataset; when there is none yet it is trained from the
     * data the run's config.json records, saying so.
     */
    private ClassifierFile.Loaded classifierFor(CommandLine cli) throws IOException, InvalidModelException {
        RunRecord record = RunRecords.forGenerator(source.run, source.model);
        String datasetId = record != null ? record.config().data().dataset().id() : dev.gan.data.DatasetName.MNIST.id();
        Path file = classifier != null ? classifier : ClassifierFile.defaultPath(datasetId, dev.gan.data.Split.TRAIN);
        if (classifier == null && !Files.exists(file) && (record == null || record.config().data().dataDir() == null)) {
            throw new UsageException("no digit classifier at " + file + " to pick digits from a plain GAN, and no run "
                    + "record saying what data to train one on: give --classifier FILE, or run gan classifier train");
        }
        try {
            if (classifier == null && !Files.exists(file)) {
                RunRecords.requireRecordedData(record, RunRecords.directoryOf(source.run, source.model));
            }
            ClassifierFile.Loaded loaded = ClassifierCommand.loadOrTrain(classifier, datasetId,
                    split -> DataFiles.locate(record == null ? Path.of(".") : record.config().data().dataDir(), split),
                    GanConfig.DEFAULT_SEED, cli.getErr()); // the run's data folder, as gan eval trains it
            ClassifierCommand.warnIfMismatched(loaded, datasetId, cli);
            return loaded;
        } catch (DataException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private void writeImages(CommandLine cli, SampleWriter.Source images, int n, int[] labels, int rows, int cols,
                             Path output, int naturalCols, int naturalRows) throws IOException {
        switch (format) {
            case png -> {
                int[] shape = grid != null || naturalCols == 0 ? gridShape(cli, n)
                        : new int[] {naturalCols, naturalRows};
                checkGridSize(cli, n, shape, rows, cols, 1);
                SampleWriter.png(images, rows, cols, shape[0], shape[1], scale, output, provenance(cli));
            }
            case idx -> SampleWriter.idx(images, n, rows, cols, labels, output, provenance(cli));
            case pngs -> SampleWriter.pngs(images, n, rows, cols, labels, scale, output, provenance(cli));
            case gif -> throw new CommandLine.ParameterException(cli,
                    "--format gif needs --interpolate or --interpolate-labels");
        }
    }

    /**
     * Options left out of {@link #provenance}: where the images go and how they are computed, not what they are, and
     * the generator, which it names by its file.
     */
    private static final java.util.Set<String> WHERE_OPTIONS = java.util.Set.of("--out", "--force", "--json",
            "--verbose", "--threads", "--backend", "--runs", "--run", "--model");

    /**
     * What made the images, kept in each PNG: gan's version, the generator file, and the command's options that
     * decide the pixels, with the generator as its file and the seed even where it was left to its default (the
     * newest run is another one tomorrow); that command draws the same images again (on the same thread count and
     * CPU: see docs/design.md).
     */
    private Map<String, String> provenance(CommandLine cli) {
        String generator = source.file().toAbsolutePath().normalize().toString();
        StringBuilder options = new StringBuilder("gan sample --model ").append(Shell.quote(generator));
        boolean seedGiven = false;
        for (CommandLine.Model.OptionSpec option : cli.getParseResult().matchedOptions()) {
            if (WHERE_OPTIONS.contains(option.longestName())) {
                continue;
            }
            seedGiven |= option.longestName().equals("--seed");
            for (String value : option.arity().max() == 0 ? List.of("true") : option.originalStringValues()) {
                appendOption(options, option, value);
            }
        }
        // Options a GAN_* variable set: another shell may not have it. The seed is written below, whatever set it.
        if (cli.getCommandSpec().defaultValueProvider() instanceof EnvironmentDefaults environment) {
            for (CommandLine.Model.OptionSpec option : cli.getCommandSpec().options()) {
                String name = option.longestName();
                String value = cli.getParseResult().hasMatchedOption(option) || WHERE_OPTIONS.contains(name)
                        || name.equals("--seed") ? null : environment.fromEnvironment(option);
                if (value != null) {
                    appendOption(options, option, value);
                }
            }
        }
        if (!seedGiven) {
            options.append(" --seed ").append(seed.seed);
        }
        Map<String, String> text = new java.util.LinkedHashMap<>();
        text.put("Software", String.join("; ", new VersionProvider().getVersion()));
        text.put("Source", generator);
        text.put("Comment", options.toString());
        return text;
    }

    /** " --name value" (quoted for the shell), or " --name" for a flag that is set. */
    private static void appendOption(StringBuilder line, CommandLine.Model.OptionSpec option, String value) {
        if (option.arity().max() > 0) {
            line.append(' ').append(option.longestName()).append(' ').append(Shell.quote(value));
        } else if (Boolean.parseBoolean(value)) {
            line.append(' ').append(option.longestName());
        }
    }

    private void validateOptions(CommandLine cli) {
        if (count != null && (count <= 0 || count > MAX_COUNT)) {
            throw new CommandLine.ParameterException(cli, "Invalid value for option '--count': " + count
                    + " (must be 1.." + MAX_COUNT + ")");
        }
        if (digit != null && digits != null) {
            throw new CommandLine.ParameterException(cli, "--digit and --digits are mutually exclusive");
        }
        if (categories != null && (digit != null || digits != null || interpolate || interpolateLabels != null)) {
            throw new CommandLine.ParameterException(cli, "--categories goes with none of --digit, --digits, "
                    + "--interpolate and --interpolate-labels");
        }
        for (int c : categories != null ? categories : List.<Integer>of()) {
            if (c < 0 || c >= NoiseKind.CATEGORIES) {
                throw new CommandLine.ParameterException(cli, "Invalid category " + c + " (must be 0.."
                        + (NoiseKind.CATEGORIES - 1) + ")");
            }
        }
        if (interpolate && interpolateLabels != null) {
            throw new CommandLine.ParameterException(cli, "--interpolate and --interpolate-labels are mutually exclusive");
        }
        if (interpolateLabels != null && interpolateLabels.size() != 2) {
            throw new CommandLine.ParameterException(cli, "Invalid value for option '--interpolate-labels': "
                    + "expected two digits A,B");
        }
        if (steps < 2 || steps > 1000) {
            throw new CommandLine.ParameterException(cli, "Invalid value for option '--steps': " + steps + " (must be 2..1000)");
        }
        if (scale < 1 || scale > 32) {
            throw new CommandLine.ParameterException(cli, "Invalid value for option '--scale': " + scale + " (must be 1..32)");
        }
        if (truncation != null && !(truncation > 0)) {
            throw new CommandLine.ParameterException(cli, "Invalid value for option '--truncation': " + truncation
                    + " (must be positive)");
        }
        if (!(minConfidence > 0 && minConfidence <= 1)) {
            throw new CommandLine.ParameterException(cli, "Invalid value for option '--min-confidence': " + minConfidence
                    + " (must be in (0, 1])");
        }
        if (format == Format.gif && !interpolate && interpolateLabels == null) {
            throw new CommandLine.ParameterException(cli, "--format gif needs --interpolate or --interpolate-labels");
        }
        format = formatFor(cli);
        if (format == Format.gif && !interpolate && interpolateLabels == null) {
            throw new CommandLine.ParameterException(cli, out + ": a GIF needs --interpolate or --interpolate-labels");
        }
    }

    /** Image types gan does not write: an --out named so would hold a PNG under a name that says otherwise. */
    private static final java.util.Set<String> OTHER_IMAGE_TYPES = java.util.Set.of("jpg", "jpeg", "bmp", "webp",
            "tif", "tiff", "svg", "pdf");

    /**
     * The format --out's name asks for where --format is not given (walk.gif is a GIF); a name that says another
     * image type than the one written (a PNG named .jpg or .gif) is refused.
     */
    private Format formatFor(CommandLine cli) {
        Path name = out == null ? null : out.getFileName();
        String file = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
        String extension = file.contains(".") ? file.substring(file.lastIndexOf('.') + 1) : "";
        Format named = extension.equals("png") ? Format.png : extension.equals("gif") ? Format.gif : null;
        boolean given = cli.getParseResult().hasMatchedOption("--format");
        boolean image = format == Format.png || format == Format.gif;
        if (OTHER_IMAGE_TYPES.contains(extension) && (image || !given)) {
            throw new CommandLine.ParameterException(cli, out + ": gan writes PNG and GIF images, not ." + extension
                    + "; name the file .png (or .gif)");
        }
        if (named != null && !given) {
            return named;
        }
        if (named != null && image && named != format) {
            throw new CommandLine.ParameterException(cli, out + ": --format " + format + " writes a "
                    + format.name().toUpperCase(Locale.ROOT) + "; name the file ." + format + ", or leave out --format");
        }
        return format;
    }

    /** A grid (times {@code frames} for a GIF) beyond {@link ImageGrid#MAX_PIXELS} is refused before drawing. */
    private void checkGridSize(CommandLine cli, int n, int[] shape, int rows, int cols, long frames) {
        long pixels = ImageGrid.pixels(rows, cols, shape[0], shape[1], scale);
        if (pixels * frames > ImageGrid.MAX_PIXELS) {
            throw new CommandLine.ParameterException(cli, String.format(Locale.ROOT, "Invalid option: %d images at "
                    + "--scale %d make a %s of %,d pixels, more than %,d; lower --scale or --count%s", n, scale,
                    frames > 1 ? "GIF" : "grid", pixels * frames, ImageGrid.MAX_PIXELS,
                    frames > 1 ? "" : ", or use --format pngs or idx"));
        }
    }

    private void checkDigits(CommandLine cli, int classes) {
        List<Integer> all = new java.util.ArrayList<>();
        if (digit != null) all.add(digit);
        if (digits != null) all.addAll(digits);
        if (interpolateLabels != null) all.addAll(interpolateLabels);
        for (int d : all) {
            if (d < 0 || d >= classes) {
                throw new CommandLine.ParameterException(cli, "Invalid digit " + d + " (must be 0.." + (classes - 1) + ")");
            }
        }
    }

    private int[] labelsFor(int n, int classes) {
        int[] labels = new int[n];
        if (digit != null) {
            java.util.Arrays.fill(labels, digit);
        } else if (digits != null) {
            return rowsOf(digits, n);
        } else {
            for (int i = 0; i < n; i++) {
                labels[i] = i % classes;
            }
        }
        return labels;
    }

    /** n values, the grid's rows each filled with one of {@code values} in turn. */
    private static int[] rowsOf(List<Integer> values, int n) {
        int[] each = new int[n];
        int perRow = (n + values.size() - 1) / values.size();
        for (int i = 0; i < n; i++) {
            each[i] = values.get(i / perRow);
        }
        return each;
    }

    /** COLSxROWS from --grid (checked to hold n), else as square as possible. */
    private int[] gridShape(CommandLine cli, int n) {
        if (grid != null) {
            String[] parts = grid.toLowerCase(Locale.ROOT).split("x");
            try {
                int c = Integer.parseInt(parts[0]);
                int r = Integer.parseInt(parts[1]);
                if (parts.length != 2 || c <= 0 || r <= 0) {
                    throw new NumberFormatException();
                }
                if ((long) c * r < n) {
                    throw new CommandLine.ParameterException(cli, "Invalid value for option '--grid': " + grid
                            + " holds " + (c * r) + " images, fewer than " + n);
                }
                return new int[] {c, r};
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new CommandLine.ParameterException(cli, "Invalid value for option '--grid': '" + grid
                        + "' (expected COLSxROWS, e.g. 10x10)");
            }
        }
        int c = (int) Math.ceil(Math.sqrt(n));
        return new int[] {c, (n + c - 1) / c};
    }

    /**
     * samples.png, digit-7.png or digits-0-3-7.png (.gif; a base name for idx; a folder for pngs) in the current
     * directory, numbered on (digit-7-2.png) where the name is taken: the default never overwrites, never fails.
     * Its files are claimed at once (see {@link AtomicFiles#claim}), so that several gan sample started together
     * in one folder each write their own.
     */
    private Path claimDefaultOutput() throws IOException {
        String base = digit != null ? "digit-" + digit
                : digits != null ? "digits-" + String.join("-", digits.stream().map(String::valueOf).toList())
                : categories != null ? "categories-" + String.join("-", categories.stream().map(String::valueOf).toList())
                : "samples";
        String extension = switch (format) {
            case png -> ".png";
            case gif -> ".gif";
            case idx, pngs -> "";
        };
        return AtomicFiles.claimNumbered(base, extension, this::claimed);
    }

    /** Whether all of {@code output}'s files could be claimed; none stays claimed when one could not. */
    private boolean claimed(Path output) throws IOException {
        List<Path> claimed = new java.util.ArrayList<>();
        for (Path target : targets(output)) {
            if (!AtomicFiles.claim(target, format == Format.pngs)) {
                claimed.forEach(AtomicFiles::release);
                return false;
            }
            claimed.add(target);
        }
        return true;
    }

    /** The files (or for pngs the folder) an output of this format consists of, labels included. */
    private List<Path> targets(Path output) {
        return format == Format.idx ? SampleWriter.idxFiles(output, true) : List.of(output);
    }

    private void checkOutput(CommandLine cli, Path output) throws IOException {
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UsageException(output + ": the output directory " + parent
                    + (Files.exists(parent) ? " is a file, not a folder" : " does not exist"));
        }
        for (Path target : targets(output)) {
            if (format == Format.pngs) {
                // A folder of single PNGs: gan fills an empty one, or with --force one it may write into
                boolean taken = Files.isDirectory(target) && Files.list(target).findAny().isPresent()
                        || Files.isRegularFile(target);
                if (taken && !force) {
                    throw new UsageException(target + ": already exists (use --force to overwrite)");
                }
            } else {
                Ownership.requireWritable(target, Ownership.Kind.SAMPLE, force, "--force");
            }
        }
    }

    /** After the images are written: they are what was asked for, and a collapse is worth a word beside them. */
    private void report(CommandLine cli, int n, Path output, boolean withLabels) {
        warnIfCollapsed(cli, sampler);
        List<String> files = format == Format.idx
                ? SampleWriter.idxFiles(output, withLabels).stream().map(Path::toString).toList()
                : List.of(output.toString());
        if (json.enabled) {
            cli.getOut().println(dev.gan.util.Json.compact(java.util.Map.of("images", n, "format", format.name(),
                    "files", files, "seed", seed.seed)));
        } else {
            String what = digit != null ? " of digit " + digit : "";
            cli.getOut().println("wrote " + Messages.count(n, "image") + what + " to " + Messages.list(files));
        }
    }
}
