package dev.gan.cli;

import dev.gan.data.DataException;
import dev.gan.data.IdxFile;
import dev.gan.data.IdxReader;
import dev.gan.eval.ClassifierFile;
import dev.gan.data.ImageDataset;
import dev.gan.eval.Evaluator;
import dev.gan.eval.QualityMetrics;
import dev.gan.eval.QualityReport;
import dev.gan.model.GeneratorFile;
import dev.gan.model.InvalidModelException;
import dev.gan.run.RunLayout;
import dev.gan.data.DataFiles;
import dev.gan.train.GanConfig;
import dev.gan.train.RunRecord;
import dev.gan.util.AtomicFiles;
import dev.gan.util.Json;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code gan eval}: judge a generator (or a set of images) with a trained digit classifier. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure generated digits with a digit classifier: classifier score, Frechet distance, "
                + "mode coverage, label accuracy, confidence, near-blank share. Writes eval.json.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  gan eval --run runs/cgan --data ../shared/data/mnist --split test",
                "  gan eval --images fake-images-idx3-ubyte --labels fake-labels-idx1-ubyte --data ../shared/data/mnist"})
final class EvalCommand implements Callable<Integer> {

    /** What to judge: a generator (as {@link GeneratorSource} names one) or an IDX image file. */
    static final class Source {
        @Option(names = "--run", paramLabel = "RUN_DIR", required = true,
                description = "Evaluate RUN_DIR/generator.zip (default: the newest finished run in --runs).")
        Path run;

        @Option(names = "--model", paramLabel = "FILE", required = true,
                description = "Evaluate this generator.zip or checkpoint.")
        Path model;

        @Option(names = "--images", paramLabel = "FILE", required = true,
                description = "Evaluate the images of this IDX file.")
        Path images;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    BackendOption backend;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source;

    @Mixin
    RunsOption runs;

    @Option(names = "--labels", paramLabel = "FILE", description = "With --images: the digit each image was meant to be.")
    Path labels;

    @Option(names = "--count", paramLabel = "N", defaultValue = "10000", description = "Samples to draw from a generator (default: ${DEFAULT-VALUE}).")
    int count;

    @Mixin
    SeedOption seed;

    @Option(names = "--classifier", paramLabel = "FILE",
            description = "Classifier to use (default: ~/.gan/classifier/<dataset>.zip, trained on first use from --data/--split, "
                    + "or for a run without --data from the data it trained on).")
    Path classifier;

    @Mixin
    DataOptions data;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write eval.json (default: RUN_DIR/eval.json, else ./eval.json).")
    Path out;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws IOException, DataException, InvalidModelException {
        backend.start(spec.commandLine());
        CommandLine cli = spec.commandLine();
        if (count <= 0 || count > SampleCommand.MAX_COUNT) {
            throw new CommandLine.ParameterException(cli, "Invalid value for option '--count': " + count
                    + " (must be 1.." + SampleCommand.MAX_COUNT + ")");
        }
        if (labels != null && (source == null || source.images == null)) {
            throw new CommandLine.ParameterException(cli, "--labels goes with --images");
        }
        if (source == null) {
            source = new Source();
            source.run = runs.newestFinished(cli.getErr(), "eval");
        }
        data.validate(cli);
        PrintWriter progress = json.enabled ? new PrintWriter(PrintWriter.nullWriter()) : cli.getOut();
        // A run is judged against the data it trained on unless --data or --dataset says otherwise: a run on the
        // test digits alone must not send eval off to download the training set.
        RunRecord recorded = RunRecords.of(source.run); // read once: the data to judge against and to check copies of
        GanConfig trainedOn = cli.getParseResult().hasMatchedOption("--data") || data.dir != null
                || cli.getParseResult().hasMatchedOption("--dataset") || recorded == null
                || recorded.config().data().dataDir() == null ? null : recorded.config();
        String datasetId = trainedOn != null ? trainedOn.data().dataset().id() : data.dataset.id();
        Path dataDir = trainedOn != null ? trainedOn.data().dataDir() : data.resolvedDir();
        if (trainedOn != null) {
            cli.getErr().println("gan eval: judging against the run's own data, " + dataDir + " (--data to choose)");
            cli.getErr().flush();
        }
        Path classifierFile = classifier != null ? classifier : ClassifierFile.defaultPath(datasetId);
        ClassifierFile.Loaded loaded = ClassifierCommand.loadOrTrain(classifier, datasetId,
                trainedOn != null ? () -> DataFiles.locate(trainedOn.data().dataDir(), trainedOn.data().split())
                        : () -> data.locate(new ProgressReporter(ProgressReporter.Mode.LINES, progress)),
                trainedOn != null ? 0 : data.limit, GanConfig.DEFAULT_SEED, progress);

        Evaluator evaluator = Evaluator.forDataDirectory(loaded.classifier(), dataDir);
        int size = loaded.classifier().imageSize();

        String what;
        QualityReport report;
        if (source.images != null) {
            IdxFile file = IdxReader.readImages(source.images);
            if (file.itemSize() != size) {
                throw new DataException(source.images + ": images are " + file.dims()[0] + "x" + file.dims()[1]
                        + ", the classifier expects " + size + " pixels");
            }
            int n = file.count();
            float[] images = new float[file.data().length];
            for (int i = 0; i < images.length; i++) {
                images[i] = (file.data()[i] & 0xFF) / 255f;
            }
            int[] intended = null;
            if (labels != null) {
                IdxFile labelFile = IdxReader.readLabels(labels, 10);
                if (labelFile.count() != n) {
                    throw new DataException(labels + ": has " + labelFile.count() + " labels for " + n + " images");
                }
                intended = new int[n];
                for (int i = 0; i < n; i++) {
                    intended[i] = labelFile.data()[i] & 0xFF;
                }
            }
            what = source.images.toString();
            report = evaluator.evaluate(images, n, size, intended);
        } else {
            Path model = GeneratorFile.locate(source.run, source.model);
            what = model.toString();
            try {
                report = evaluator.evaluate(GeneratorFile.load(model, false), count, seed.seed,
                        trainingImages(recorded));
            } catch (DataException e) {
                throw new DataException(model + ": " + e.getMessage());
            }
        }

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("evaluated", what);
        result.put("seed", seed.seed);
        result.put("classifier", Map.of("file", classifierFile.toString(), "heldOutAccuracy",
                loaded.info().heldOutAccuracy(), "trainedOn", loaded.info().trainedOn()));
        result.put("reference", evaluator.reference());
        result.put("report", report);
        Path target = out != null ? out : source.run != null ? source.run.resolve(RunLayout.EVAL) : Path.of(RunLayout.EVAL);
        AtomicFiles.writeString(target, Json.MAPPER.writeValueAsString(result) + "\n");
        if (json.enabled) {
            cli.getOut().println(Json.compact(result));
        } else {
            printTable(cli.getOut(), report, target);
        }
        return ExitCodes.OK;
    }

    /** What a run directory records, or null (no run, or a config.json that does not read). */
    /** The images a run trained on, for the memorisation check; null without a record or when they are gone. */
    private static QualityMetrics.TrainingImages trainingImages(RunRecord record) {
        if (record == null) {
            return null;
        }
        try {
            ImageDataset data = ImageDataset.load(new DataFiles(record.data().images(), record.data().labels()),
                    record.config().data().limit());
            return new QualityMetrics.TrainingImages(data.pixels(), data.count(), data.imageSize());
        } catch (DataException | RuntimeException e) {
            return null;
        }
    }

    private static void printTable(PrintWriter out, QualityReport r, Path target) {
        out.printf(Locale.ROOT, "images              %d%n", r.count());
        out.printf(Locale.ROOT, "classifier score    %.3f   (max %d)%n", r.classifierScore(), r.classHistogram().length);
        out.printf(Locale.ROOT, "frechet distance    %.3f   (%d samples against %d real test images; floor %.3f: %d other "
                + "real images against the same)%n", r.frechetDistance(), r.frechetSamples(), r.frechetReference(),
                r.frechetFloor(), r.frechetSamples());
        out.printf(Locale.ROOT, "modes covered       %d of %d (classes with >= %.0f%% of samples)%n", r.modesCovered(),
                r.classHistogram().length, 100 * QualityReport.MODE_SHARE);
        out.printf(Locale.ROOT, "class histogram     %s%n", Arrays.toString(r.classHistogram()));
        if (r.labelAccuracy() != null) {
            StringBuilder perDigit = new StringBuilder();
            for (int k = 0; k < r.labelAccuracyPerDigit().length; k++) {
                perDigit.append(String.format(Locale.ROOT, "%s%d:%.2f", k == 0 ? "" : " ", k, r.labelAccuracyPerDigit()[k]));
            }
            out.printf(Locale.ROOT, "label accuracy      %.4f   (%s)%n", r.labelAccuracy(), perDigit);
        }
        if (r.precision() != null) {
            out.printf(Locale.ROOT, "precision, recall   %.3f, %.3f   (samples inside the real images' 3-NN manifold; real "
                    + "images inside the samples')%n", r.precision(), r.recall());
        }
        if (r.memorisedShare() != null) {
            out.printf(Locale.ROOT, "memorised share     %.4f   (samples nearer a training image than 99%% of training "
                    + "images are to each other; about 0.01 by chance)%n", r.memorisedShare());
        }
        out.printf(Locale.ROOT, "mean confidence     %.4f%n", r.meanConfidence());
        out.printf(Locale.ROOT, "near-blank share    %.4f%n", r.blankFraction());
        out.println("written to " + target);
    }
}
