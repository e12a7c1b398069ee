package dev.gan.cli;

import dev.gan.config.Engine;
import dev.gan.config.GanConfig;
import dev.gan.config.LabelSource;
import dev.gan.config.LossKind;
import dev.gan.config.Recipe;
import dev.gan.data.DataException;
import dev.gan.data.DataFiles;
import dev.gan.data.Split;
import dev.gan.engine.Engines;
import dev.gan.eval.ClassifierFile;
import dev.gan.eval.Evaluator;
import dev.gan.model.Architecture;
import dev.gan.model.InvalidModelException;
import dev.gan.model.NoiseKind;
import dev.gan.model.WeightInitKind;
import dev.gan.run.RunLayout;
import dev.gan.train.EpochEvaluator;
import dev.gan.train.TrainingRun;
import dev.gan.train.TrainingStoppedException;
import dev.gan.util.Json;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code gan train}: parse and validate the options, then hand a {@link GanConfig} to {@link TrainingRun}. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, optionListHeading = "Run:%n",
        description = "Train a plain GAN, or with --conditional a label-conditioned GAN (cGAN).",
        footerHeading = "%nExamples:%n",
        footer = {
                "  gan train --data ~/data/mnist --epochs 100",
                "  gan train --conditional --data ~/data/mnist --out runs/cgan",
                "  gan train --conditional --arch dcgan --epochs 20 --out runs/cdcgan",
                "  gan train --resume runs/cgan",
                "",
                "Defaults are the reference tutorial's: plain GAN N(0,1) noise, N(0,0.01) weights, Adam 2e-4;",
                "cGAN U(-1,1) noise, Xavier weights, Adam 1e-3; both noise 128, hidden 256, batch 100, 100 epochs."})
final class TrainCommand implements Callable<Integer> {

    /** Config fields set before the other options, in this order, because they bring settings of their own. */
    private static final Set<String> APPLIED_FIRST = Set.of("conditional", "arch", "recipe");

    /**
     * Options that --resume accepts: the run's length, output, and the machine it now runs on (its cores, its
     * backend); everything else comes from RUN_DIR/config.json.
     */
    private static final Set<String> RESUME_OPTIONS = Set.of("--resume", "--epochs", "--quiet", "--json",
            "--verbose", "--offline", "--mirror", "--classifier", "--runs", "--threads", "--backend");

    @Spec
    CommandSpec spec;

    @Mixin
    BackendOption backend;

    @Option(names = "--recipe", paramLabel = "NAME", defaultValue = Recipe.DEFAULT_NAME,
            description = Recipe.DEFAULT_NAME + " (the tutorial's settings, made to train reliably: the MLP cGAN with "
                    + "Adam beta1 0.5 and label smoothing 0.1), reference (exactly the tutorial's settings), "
                    + "improved (the newest measured improvement, now "
                    + Recipe.NEWEST_NAME + ") or an earlier version improved-1, improved-2, ..., which keep their "
                    + "meaning; options given explicitly win; --recipe list prints what each sets "
                    + "(default: ${DEFAULT-VALUE}).")
    String recipe;

    @Mixin
    SeedOption seed;

    @Option(names = "--engine", paramLabel = "E",
            description = "direct (the iteration written out over OpenBLAS: MLP about 1.5x, DCGAN about 10x faster) "
                    + "or graph (DL4J's ComputationGraph methods, every setting and backend); the two agree to float "
                    + "rounding (default: direct where it trains the settings, else graph).")
    Engine engine;

    /** Model: the networks and their inputs. */
    static final class ModelOptions {
        @Option(names = "--conditional", description = "Train a cGAN conditioned on the one-hot digit label.")
        boolean conditional;

        @Option(names = "--arch", paramLabel = "ARCH", defaultValue = "mlp",
                description = "mlp (the reference's one-hidden-layer models) or dcgan (convolutional; brings width 64, Adam 2e-4, "
                        + "beta1 0.5 and Xavier weights unless given) (default: ${DEFAULT-VALUE}).")
        Architecture arch;

        @Option(names = "--hidden", paramLabel = "N", description = "Width: the MLP's hidden units in G and D, or the DCGAN's channels (G's first feature map, "
                        + "D's last) (default: " + GanConfig.DEFAULT_HIDDEN + "; DCGAN " + GanConfig.DCGAN_CHANNELS + ").")
        Integer hidden;

        @Option(names = "--noise-dim", paramLabel = "N", description = "Size of the noise vector z (default: " + GanConfig.DEFAULT_NOISE_DIM + ").")
        Integer noiseDim;

        @Option(names = "--noise", paramLabel = "KIND", description = "gaussian, uniform, or categorical (gaussian with a "
                        + "one-hot category of 10 as its last entries) (default: gaussian plain, uniform cGAN).")
        NoiseKind noise;

        @Option(names = "--weight-init", paramLabel = "KIND", description = "normal (N(0,0.01)) or xavier (default: normal plain, xavier cGAN).")
        WeightInitKind weightInit;

        @Option(names = "--leaky-relu", paramLabel = "A", description = "LeakyReLU slope in D's hidden layer; 0 = ReLU (default: 0).")
        Double leakyRelu;

        @Option(names = "--dropout-d", paramLabel = "P", description = "Dropout probability on D's hidden activations (default: 0).")
        Double dropoutD;

        @Option(names = "--label-scale", paramLabel = "S",
                description = "cGAN: multiply the one-hot label by S where G and D take it in, so its weights move S "
                        + "times faster under Adam (default: 1).")
        Double labelScale;
    }

    @ArgGroup(validate = false, heading = "%nModel:%n", order = 2)
    ModelOptions model = new ModelOptions();

    /** Optimiser: Adam for D and G. */
    static final class OptimiserOptions {
        @Option(names = "--lr-d", paramLabel = "RATE", description = "Adam learning rate of D (default: 2e-4 plain, 1e-3 cGAN).")
        Double lrD;

        @Option(names = "--lr-g", paramLabel = "RATE", description = "Adam learning rate of G (default: 2e-4 plain, 1e-3 cGAN).")
        Double lrG;

        @Option(names = "--beta1", paramLabel = "B", description = "Adam beta1 (default: 0.9; the MLP cGAN 0.5, by --recipe stable-1; dcgan 0.5).")
        Double beta1;

        @Option(names = "--beta2", paramLabel = "B", description = "Adam beta2 (default: 0.999).")
        Double beta2;
    }

    @ArgGroup(validate = false, heading = "%nOptimiser:%n", order = 3)
    OptimiserOptions optimiser = new OptimiserOptions();

    /** Training tricks: what the updates optimise and how. */
    static final class TrickOptions {
        @Option(names = "--loss", paramLabel = "KIND",
                description = "bce (non-saturating, as both references), minimax (saturating G loss) or hinge (SNGAN's; takes no "
                        + "--label-smoothing) (default: bce).")
        LossKind loss;

        @Option(names = "--label-source", paramLabel = "SRC",
                description = "cGAN fake labels: data (the real batch's, as the reference) or uniform (default: data).")
        LabelSource labelSource;

        @Option(names = "--label-smoothing", paramLabel = "S", description = "One-sided: D's target for real images is 1-S (default: 0; the MLP cGAN 0.1, by --recipe stable-1).")
        Double labelSmoothing;

        @Option(names = "--d-steps", paramLabel = "K", description = "D updates per G update (default: 1).")
        Integer dSteps;

        @Option(names = "--pack", paramLabel = "N",
                description = "PacGAN: D judges N images (of one kind, with their labels) at once, which penalises a G "
                        + "that repeats itself; must divide the batch size (default: 1 = off).")
        Integer pack;

        @Option(names = "--info-weight", paramLabel = "W",
                description = "InfoGAN: D also learns to read the category of --noise categorical back from a fake, and G "
                        + "and D minimise W times that cross-entropy (plain DCGAN only) (default: 0 = off).")
        Double infoWeight;

        @Option(names = "--spectral-norm", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
                description = "Divide each of D's weight matrices by its largest singular value, estimated by one power "
                        + "iteration per D pass (SNGAN's; DCGAN, direct engine) (default: false).")
        Boolean spectralNorm;

        @Option(names = "--augment", paramLabel = "POLICY",
                description = "DiffAugment: D sees real and fake images through random translation and/or cutout "
                        + "(translation,cutout), G learns through them (DCGAN, direct engine) (default: none).")
        String augment;

        @Option(names = "--ema", paramLabel = "DECAY",
                description = "Sample from an exponential moving average of G's weights with this decay, e.g. 0.999 "
                        + "(grids, generator.zip, --eval-every); 0 = off (default: 0).")
        Double ema;
    }

    @ArgGroup(validate = false, heading = "%nTraining tricks:%n", order = 4)
    TrickOptions tricks = new TrickOptions();

    /** Schedule: how long and what is written on the way. */
    static final class ScheduleOptions {
        @Option(names = "--epochs", paramLabel = "N", description = "Epochs to train (default: " + GanConfig.DEFAULT_EPOCHS + ").")
        Integer epochs;

        @Option(names = "--batch-size", paramLabel = "N", description = "Mini-batch size (default: " + GanConfig.DEFAULT_BATCH_SIZE + ").")
        Integer batchSize;

        @Option(names = "--sample-every", paramLabel = "N", description = "Write a sample grid every N epochs, and at the first and last (default: "
                        + GanConfig.DEFAULT_SAMPLE_EVERY + ").")
        Integer sampleEvery;

        @Option(names = "--checkpoint-every", paramLabel = "N", description = "Checkpoint every N epochs and at the end (default: "
                        + GanConfig.DEFAULT_CHECKPOINT_EVERY + ").")
        Integer checkpointEvery;

        @Option(names = "--sample-scale", paramLabel = "K", description = "Enlarge sample grid pixels K times, 1 to " + GanConfig.MAX_SAMPLE_SCALE + " (default: "
                        + GanConfig.DEFAULT_SAMPLE_SCALE + ").")
        Integer sampleScale;

        @Option(names = "--eval-every", paramLabel = "K",
                description = "Every K epochs add classifier score, Frechet distance and label accuracy (2,000 samples) to metrics.csv (default: off).")
        Integer evalEvery;

        @Option(names = "--classifier", paramLabel = "FILE",
                description = "Classifier for --eval-every (default: ~/.gan/classifier/<dataset>.zip, trained on first use).")
        Path classifier;
    }

    @ArgGroup(validate = false, heading = "%nSchedule:%n", order = 5)
    ScheduleOptions schedule = new ScheduleOptions();

    @ArgGroup(validate = false, heading = "%nData:%n", order = 6)
    DataOptions data = new DataOptions();

    @Option(names = "--out", paramLabel = "RUN_DIR", description = "Run directory (default: <--runs>/<timestamp>-<plain|cgan>).")
    Path out;

    @Mixin
    RunsOption runs;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue the run in RUN_DIR from its last checkpoint, with its config.json.")
    Path resume;

    @Option(names = "--overwrite", description = "Replace the run that RUN_DIR holds (only gan's own files are removed; a folder that is not "
                    + "a gan run is never touched).")
    boolean overwrite;

    @Option(names = "--quiet", description = "Print only errors and the final summary.")
    boolean quiet;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws IOException, DataException, InvalidModelException {
        backend.startComputing(spec.commandLine());
        CommandLine cli = spec.commandLine();
        try (ProgressReporter progress = new ProgressReporter(ProgressReporter.chooseMode(quiet || json.enabled), cli.getOut())) {
            return train(cli, progress);
        }
    }

    private Integer train(CommandLine cli, ProgressReporter progress) throws IOException, DataException,
            InvalidModelException {
        if ("list".equals(recipe)) {
            printRecipes(cli.getOut());
            return ExitCodes.OK;
        }
        TrainingRun run;
        if (resume != null) {
            rejectOptionsBesideResume(cli);
            run = TrainingRun.resume(resume, schedule.epochs);
        } else {
            data.validate(cli);
            GanConfig config = buildConfig(cli);
            Path dir = out != null ? out : runs.folder().newRun(config.model().conditional());
            run = TrainingRun.start(config, () -> data.locate(progress), dir, overwrite, Path.of(""));
            int images = run.record().data().count();
            if (config.data().limit() > images) {
                cli.getErr().printf(Locale.ROOT, "gan train: --limit %d is more than the %,d images of %s: training on "
                        + "all of them%n", config.data().limit(), images, run.record().data().images().getFileName());
                cli.getErr().flush();
            }
        }
        Path dir = run.directory().root();
        GanConfig config = run.record().config();
        // The judge before the run's log: a classifier that cannot be had leaves no new run folder behind.
        EpochEvaluator evaluator;
        try {
            evaluator = config.schedule().evalEvery() > 0 ? qualityEvaluator(config, cli, progress) : null;
        } catch (IOException | DataException | InvalidModelException | RuntimeException e) {
            try {
                run.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        try (run; StopSignals signals = StopSignals.install(cli.getErr());
             AutoCloseable ignored = Logging.attachRunLog(run.directory().log())) {
            progress.batchSize(config.schedule().batchSize());
            TrainingRun.Result result;
            ReportingListener listener = new ReportingListener(progress, dir, cli.getErr());
            try {
                result = run.train(listener, signals, evaluator);
            } catch (TrainingStoppedException e) {
                progress.close();
                cli.getErr().println("gan train: " + e.getMessage());
                return signals.exitCode();
            }
            listener.refreshReport();
            String latestLeft = runs.folder().markFinished(dir);
            if (latestLeft != null) {
                cli.getErr().println("gan train: " + latestLeft);
            }
            printSummary(cli, result);
            return ExitCodes.OK;
        } catch (IOException | DataException | InvalidModelException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e); // only the run log's close declares Exception
        }
    }

    /**
     * Checks {@code gan train} arguments without running anything: parsing, the configuration's own validation, and
     * --threads within the {@code cores} the run will have (the machine's, or a scheduler's task's: "the 2
     * {@code whose}"). Returns the problem as one line, or null when the arguments are fine.
     */
    static String problemWith(List<String> args, int cores, String whose) {
        TrainCommand command = new TrainCommand();
        CommandLine cli = GanCli.configure(new CommandLine(command));
        try {
            cli.parseArgs(args.toArray(String[]::new));
            command.data.validate(cli);
            command.buildConfig(cli);
            command.backend.requireThreadsWithin(cli, cores, whose);
            return null;
        } catch (CommandLine.UnmatchedArgumentException e) {
            // The file's keys are option names: say which key, not picocli's list of the words left over.
            String option = e.getUnmatched().stream().filter(word -> word.startsWith("--")).findFirst().orElse(null);
            if (option == null) {
                return e.getMessage();
            }
            List<String> near = Resemblance.near(option, GanCli.optionNames(cli)).stream()
                    .filter(name -> name.startsWith("--")).map(name -> name.substring(2)).toList();
            return "'" + option.substring(2) + "' is not a gan train option" + GanCli.didYouMean(near);
        } catch (CommandLine.ParameterException e) {
            return e.getMessage();
        }
    }

    /**
     * The --eval-every judge: the saved classifier (trained first if there is none) and the run's test split. A new
     * run fetches the test split as it fetched its training split (gan train downloads only its own split); a
     * resumed one takes its folder as it is.
     */
    private EpochEvaluator qualityEvaluator(GanConfig config, CommandLine cli, ProgressReporter downloads)
            throws IOException, DataException, InvalidModelException {
        PrintWriter progress = quiet || json.enabled ? new PrintWriter(PrintWriter.nullWriter()) : cli.getOut();
        if (resume == null) {
            data.locate(Split.TEST, downloads);
        }
        ClassifierFile.Loaded loaded = ClassifierCommand.loadOrTrain(schedule.classifier, config.data().dataset().id(),
                split -> DataFiles.locate(config.data().dataDir(), split), GanConfig.DEFAULT_SEED, progress);
        ClassifierCommand.warnIfMismatched(loaded, config.data().dataset().id(), cli);
        return Evaluator.forDataDirectory(loaded.classifier(), config.data().dataDir())
                .asEpochEvaluator(2000, config.seed());
    }

    /**
     * The reference settings of the plain GAN or cGAN, then the architecture's, then the recipe's, then every option
     * given (on the command line, in an @file or a GAN_ variable): an option sets the config field of its name
     * (--label-smoothing sets labelSmoothing), so the setting options' fields here give picocli only their types.
     * Without --engine the run takes the fastest engine that trains its settings; with it, one that cannot is refused.
     */
    private GanConfig buildConfig(CommandLine cli) {
        GanConfig.Builder b = GanConfig.reference(model.conditional).arch(model.arch);
        try {
            b.recipe(recipe);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, "Invalid value for option '--recipe': " + e.getMessage());
        }
        GanConfig config;
        try {
            for (OptionSpec option : cli.getCommandSpec().options()) {
                // null: not given (a GAN_ variable gives a value too); --seed, --dataset, --split, --limit always
                // have theirs
                String field = configField(option);
                if (field != null && !APPLIED_FIRST.contains(field) && option.getValue() != null) {
                    b.option(GanConfig.optionName(field), option.getValue());
                }
            }
            config = b.build().withDataDir(data.resolvedDir().toAbsolutePath()); // --data, resolved
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, GanCli.invalidOption(cli, e.getMessage()));
        }
        if (engine == null) {
            config = config.withEngine(Engines.preferred(config));
        }
        String problem = Engines.problem(config);
        if (problem != null) {
            throw new CommandLine.ParameterException(cli, "Invalid option: " + problem);
        }
        return config;
    }

    /** The config field an option sets (--lr-d: lrD), or null for options that are not settings (--out, --quiet). */
    static String configField(OptionSpec option) {
        return GanConfig.fieldOf(option.longestName().substring(2));
    }

    /** Every recipe with what it sets for each kind of model, newest last. */
    private static void printRecipes(PrintWriter out) {
        for (Recipe r : Recipe.all()) {
            out.println(r.id() + (r.id().equals(Recipe.NEWEST_NAME) ? " (= " + Recipe.IMPROVED + ")" : "") + ": "
                    + r.changes());
            if (r.id().equals(Recipe.REFERENCE_NAME)) {
                continue;
            }
            for (Architecture a : Architecture.values()) {
                for (boolean c : new boolean[] {false, true}) {
                    String sets = r.settings(c, a).entrySet().stream()
                            .map(e -> "--" + e.getKey() + " " + e.getValue().toString().toLowerCase(java.util.Locale.ROOT))
                            .collect(java.util.stream.Collectors.joining(" "));
                    out.printf("  %-5s %-11s %s%n", a.name().toLowerCase(java.util.Locale.ROOT), c ? "conditional" : "plain",
                            sets.isEmpty() ? "(nothing)" : sets);
                }
            }
        }
    }

    private void rejectOptionsBesideResume(CommandLine cli) {
        for (var option : cli.getParseResult().matchedOptions()) {
            if (!RESUME_OPTIONS.contains(option.longestName())) {
                throw new CommandLine.ParameterException(cli, "Option '" + option.longestName()
                        + "' cannot be combined with --resume: a resumed run keeps the settings in its config.json");
            }
        }
    }

    private void printSummary(CommandLine cli, TrainingRun.Result result) {
        var stats = result.last();
        if (json.enabled) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("run_dir", result.runDir().toString());
            summary.put("epochs", result.epochs());
            summary.put("iterations", result.iterations());
            summary.put("d_loss", stats == null ? null : stats.dLoss());
            summary.put("g_loss", stats == null ? null : stats.gLoss());
            summary.put("seconds", result.seconds());
            summary.put("generator", new RunLayout(result.runDir()).generator().toString());
            cli.getOut().println(Json.compact(summary));
        } else {
            cli.getOut().printf(java.util.Locale.ROOT, "done: %d epochs, %d iterations in %.1fs%s; generator: %s%n",
                    result.epochs(), result.iterations(), result.seconds(),
                    stats == null ? "" : String.format(java.util.Locale.ROOT, ", final d_loss %.4f g_loss %.4f",
                            stats.dLoss(), stats.gLoss()),
                    new RunLayout(result.runDir()).generator());
        }
    }
}
