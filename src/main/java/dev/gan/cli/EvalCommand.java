package dev.gan.cli;

import dev.gan.config.GanConfig;
import dev.gan.data.DataException;
import dev.gan.data.DataFiles;
import dev.gan.data.IdxFile;
import dev.gan.data.IdxReader;
import dev.gan.data.Split;
import dev.gan.eval.ClassifierFile;
import dev.gan.eval.Evaluator;
import dev.gan.eval.QualityMetrics;
import dev.gan.eval.QualityReport;
import dev.gan.model.GeneratorFile;
import dev.gan.model.InvalidModelException;
import dev.gan.run.CollapseWatch;
import dev.gan.run.Ownership;
import dev.gan.run.RunLayout;
import dev.gan.run.RunRecord;
import dev.gan.system.RuntimeInfo;
import dev.gan.util.AtomicFiles;
import dev.gan.util.Json;
import dev.gan.util.Messages;
import dev.gan.util.Prefetch;
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
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** {@code gan eval}: judge a generator (or a set of images) with a trained digit classifier. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure generated digits with a digit classifier: classifier score, Frechet distance, "
                + "mode coverage, label accuracy, confidence, near-blank share. Writes eval.json.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  gan eval --run runs/cgan",
                "  gan eval --images fake-images-idx3-ubyte --labels fake-labels-idx1-ubyte --data ~/data/mnist"})
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

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write eval.json (default: RUN_DIR/eval.json, else "
            + "./eval.json); an existing file is replaced only when it is an eval.json gan wrote, or with --force.")
    Path out;

    @Option(names = "--force", description = "Replace the --out file even if gan did not write it.")
    boolean force;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws IOException, DataException, InvalidModelException {
        backend.startComputing(spec.commandLine());
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
        // Checked before the work, again when writing (the file may have appeared meanwhile).
        Ownership.requireWritable(target(), Ownership.Kind.EVAL_JSON, force, "--force");
        // What is judged must be there before data is fetched for it: a mistyped --run starts no download.
        Path model = source.images == null ? GeneratorSource.existing(source.run, source.model) : null;
        if (source.images != null) {
            IdxReader.readImages(source.images, 1); // its header: missing or not IDX images, said now
        }
        PrintWriter progress = json.enabled ? new PrintWriter(PrintWriter.nullWriter()) : cli.getOut();
        // A run is judged against the data it trained on unless --data or --dataset says otherwise: a run on the
        // test digits alone must not send eval off to download the training set.
        // Read once: the data to judge against and to check copies of; a --model inside a run directory is that run's.
        Path runDir = RunRecords.directoryOf(source.run, source.model);
        RunRecord recorded = RunRecords.of(runDir);
        GanConfig trainedOn = cli.getParseResult().hasMatchedOption("--data") || data.dir != null
                || cli.getParseResult().hasMatchedOption("--dataset") || recorded == null
                || recorded.config().data().dataDir() == null ? null : recorded.config();
        String datasetId = trainedOn != null ? trainedOn.data().dataset().id() : data.dataset.id();
        Path dataDir = trainedOn != null ? trainedOn.data().dataDir() : data.resolvedDir();
        if (trainedOn != null) {
            RunRecords.requireRecordedData(recorded, runDir);
            cli.getErr().println("gan eval: judging against the run's own data, " + dataDir + " (--data to choose)");
            cli.getErr().flush();
        }
        // The real digits every sample is compared with, downloaded where missing (gan train fetches only its own
        // split); the training split stays optional: without it the floor is taken from test digits.
        data.locate(trainedOn != null ? trainedOn.data().dataset() : data.dataset, dataDir, Split.TEST,
                new ProgressReporter(ProgressReporter.Mode.LINES, progress));
        // A generator's evaluation begins before the classifier and the reference load: its memorisation check (the
        // first samples against every digit it trained on) needs neither, and starts beside their loading when there
        // are two threads; its training digits (47 MB from a 10 MB gzip for MNIST) are read on a thread of their own
        // meanwhile.
        Supplier<QualityMetrics.TrainingImages> training = model == null ? null
                : Prefetch.start(() -> trainingImages(recorded));
        GeneratorFile.Loaded generator = model == null ? null : GeneratorFile.load(model, false);
        ClassifierFile.Loaded loaded;
        Evaluator evaluator;
        String what;
        QualityReport report;
        try (Evaluator.Begun begun = generator == null ? null
                : Evaluator.begin(generator, count, seed.seed, training)) {
            loaded = ClassifierCommand.loadOrTrain(classifier, datasetId,
                    trainedOn != null ? split -> DataFiles.locate(dataDir, split)
                            : split -> data.locate(split, new ProgressReporter(ProgressReporter.Mode.LINES, progress)),
                    GanConfig.DEFAULT_SEED, progress);
            ClassifierCommand.warnIfMismatched(loaded, datasetId, cli);
            evaluator = Evaluator.forDataDirectory(loaded.classifier(), dataDir);
            if (generator == null) {
                what = source.images.toString();
                report = evaluateImages(evaluator, loaded.classifier().imageSize());
            } else {
                what = model.toString();
                try (ProgressReporter.Count judged = new ProgressReporter(ProgressReporter.chooseMode(json.enabled),
                        cli.getOut()).count("eval", "samples", count)) {
                    report = evaluator.evaluate(begun, judged::stepTo);
                } catch (DataException e) {
                    throw new DataException(model + ": " + e.getMessage());
                }
            }
        }
        Path classifierFile = loaded.file();

        Evaluator.Reference reference = evaluator.reference();
        java.util.List<String> overlaps = overlaps(recorded, loaded.info(), reference);
        for (String overlap : overlaps) {
            cli.getErr().println("gan eval: " + overlap);
        }
        String collapse = collapseNotice(report, runDir);
        if (collapse != null) {
            cli.getErr().println("gan eval: " + collapse);
        }
        cli.getErr().flush();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("evaluated", what);
        result.put("seed", seed.seed);
        Map<String, Object> classifierInfo = new LinkedHashMap<>();
        classifierInfo.put("file", classifierFile.toString());
        classifierInfo.put("dataset", loaded.info().dataset());
        classifierInfo.put("learntFrom", loaded.info().images());
        classifierInfo.put("trainedOn", loaded.info().trainedOn());
        classifierInfo.put("heldOut", loaded.info().heldOut());
        classifierInfo.put("heldOutImages", loaded.info().heldOutImages());
        classifierInfo.put("heldOutAccuracy", loaded.info().heldOutAccuracy());
        result.put("classifier", classifierInfo);
        Map<String, Object> referenceInfo = new LinkedHashMap<>();
        referenceInfo.put("images", reference.images().toString());
        referenceInfo.put("split", reference.split());
        referenceInfo.put("count", reference.count());
        referenceInfo.put("floorImages", reference.floorImages().toString());
        referenceInfo.put("floorCount", reference.floorCount());
        referenceInfo.put("description", reference.description());
        result.put("reference", referenceInfo);
        result.put("overlaps", overlaps);
        result.put("collapse", collapse);
        result.put("report", report);
        // What computed it: another thread count or BLAS kernel may move the figures by float rounding.
        result.put("runtime", RuntimeInfo.describe());
        result.put("created", OffsetDateTime.now().toString());
        Path target = target();
        Ownership.requireWritable(target, Ownership.Kind.EVAL_JSON, force, "--force");
        AtomicFiles.writeString(target, Json.MAPPER.writeValueAsString(result) + "\n");
        if (json.enabled) {
            cli.getOut().println(Json.compact(result));
        } else {
            printTable(cli.getOut(), report, reference, loaded.info(), target);
        }
        return ExitCodes.OK;
    }

    /** The --images file (with --labels, the digit each was meant to be) judged by {@code evaluator}. */
    private QualityReport evaluateImages(Evaluator evaluator, int size) throws DataException {
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
        return evaluator.evaluate(images, n, size, intended);
    }

    /**
     * The images a run trained on (all of them, as it did: the 60,000 training digits are 47 MB as bytes), for the
     * memorisation check; null without a record or when they are gone.
     */
    private static QualityMetrics.TrainingImages trainingImages(RunRecord record) {
        if (record == null) {
            return null;
        }
        try {
            IdxFile images = IdxReader.readImages(record.data().images(), record.config().data().limit());
            return new QualityMetrics.TrainingImages(images.data(), images.count(), images.itemSize());
        } catch (DataException | RuntimeException e) {
            return null;
        }
    }

    private Path target() {
        return out != null ? out : source.run != null ? source.run.resolve(RunLayout.EVAL) : Path.of(RunLayout.EVAL);
    }

    /** A line when the images are nearly all alike, else what the run's metrics.csv says of a collapse, else null. */
    static String collapseNotice(QualityReport report, Path runDir) {
        if (report.sampleSpread() != null && report.sampleSpread() < CollapseWatch.ALIKE_BELOW) {
            return String.format(Locale.ROOT, "the images are nearly all alike (per-pixel spread %.3f over the first "
                    + "%d; real images about 0.18 for MNIST, 0.27 for Fashion-MNIST): an untrained or collapsed "
                    + "generator; %s", report.sampleSpread(),
                    QualityReport.SPREAD_SAMPLES, CollapseWatch.ADVICE);
        }
        return RunRecords.collapseAtEnd(runDir);
    }

    /**
     * Where the judgement is not held out, one line each: a run that trained on the reference images, a
     * classifier that learnt from them.
     */
    static java.util.List<String> overlaps(RunRecord run, ClassifierFile.Info classifier, Evaluator.Reference reference) {
        java.util.List<String> lines = new java.util.ArrayList<>();
        String referenceSha = sha256OrNull(reference.images());
        if (run != null && referenceSha != null && referenceSha.equals(run.data().imagesSha256())) {
            lines.add("the run trained on " + run.data().images() + ", the reference images it is judged against: "
                    + "its Frechet distance, precision and recall are not held out (train on the train split to "
                    + "judge on unseen digits)");
        }
        if (referenceSha != null && referenceSha.equals(classifier.imagesSha256())) {
            lines.add("the classifier learnt from " + classifier.images() + ", the reference images: its features "
                    + "favour those very digits (gan classifier train --split train makes one that never saw them)");
        }
        return lines;
    }

    private static String sha256OrNull(Path file) {
        try {
            return dev.gan.util.Checksums.sha256(file);
        } catch (IOException e) {
            return null;
        }
    }

    private static void printTable(PrintWriter out, QualityReport r, Evaluator.Reference reference,
                                   ClassifierFile.Info classifier, Path target) {
        out.printf(Locale.ROOT, "reference           %s%n", reference.description());
        out.printf(Locale.ROOT, "classifier          learnt from %d images of %s; held-out accuracy %.4f on %d%n",
                classifier.trainedOn(), classifier.images(), classifier.heldOutAccuracy(), classifier.heldOut());
        out.printf(Locale.ROOT, "images              %d%n", r.count());
        out.printf(Locale.ROOT, "classifier score    %.3f   (max %d)%n", r.classifierScore(), r.classHistogram().length);
        String real = reference.split().startsWith("test (") ? "test" : "training";
        out.printf(Locale.ROOT, "frechet distance    %.3f   (%s against %d reference images; floor %.3f: %s against "
                + "the same)%n", r.frechetDistance(), Messages.count(r.frechetSamples(), "sample"), r.frechetReference(),
                r.frechetFloor(), Messages.count(r.frechetSamples(), "real " + real + " image"));
        out.printf(Locale.ROOT, "modes covered       %d of %d (classes with >= %.0f%% of samples)%n", r.modesCovered(),
                r.classHistogram().length, 100 * QualityReport.MODE_SHARE);
        out.printf(Locale.ROOT, "class histogram     %s%n", Arrays.toString(r.classHistogram()));
        if (r.labelAccuracy() != null) {
            StringBuilder perDigit = new StringBuilder();
            for (int k = 0; k < r.labelAccuracyPerDigit().length; k++) {
                Double accuracy = r.labelAccuracyPerDigit()[k];
                perDigit.append(k == 0 ? "" : " ").append(k).append(':')
                        .append(accuracy == null ? "-" : String.format(Locale.ROOT, "%.2f", accuracy));
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
