package dev.gan.cli;

import dev.gan.data.DataException;
import dev.gan.data.DataFiles;
import dev.gan.data.ImageDataset;
import dev.gan.eval.ClassifierFile;
import dev.gan.eval.ClassifierTraining;
import dev.gan.model.InvalidModelException;
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
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code gan classifier train}: the digit classifier that {@code gan eval} judges generators with. */
@Command(name = "classifier", mixinStandardHelpOptions = true,
        description = "Manage the digit classifier used by gan eval.",
        subcommands = {ClassifierCommand.Train.class})
final class ClassifierCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (try gan classifier train)");
    }

    /** Finds the data a first-use classifier trains on (it may download). */
    @FunctionalInterface
    interface TrainingData {
        DataFiles locate() throws DataException;
    }

    /**
     * The classifier in {@code explicit} if given, else the data set's default one, which is trained first
     * (saying so) when it does not exist yet: gan eval and gan train --eval-every both judge with this.
     */
    static ClassifierFile.Loaded loadOrTrain(Path explicit, String datasetId, TrainingData data, int limit, long seed,
                                             PrintWriter progress) throws DataException, IOException, InvalidModelException {
        Path file = explicit != null ? explicit : ClassifierFile.defaultPath(datasetId);
        if (explicit == null && !Files.exists(file)) {
            progress.println("no classifier at " + file + " yet: training one first (about half a minute)");
            return trainAndSave(data.locate(), datasetId, limit, ClassifierTraining.DEFAULT_HELD_OUT,
                    ClassifierTraining.DEFAULT_EPOCHS, seed, file, progress);
        }
        return ClassifierFile.load(file);
    }

    /** Trains, reports held-out accuracy, saves. */
    static ClassifierFile.Loaded trainAndSave(DataOptions data, int heldOut, int epochs, long seed, Path out,
                                              PrintWriter progress) throws DataException, IOException {
        DataFiles files = data.locate(new ProgressReporter(ProgressReporter.Mode.LINES, progress));
        return trainAndSave(files, data.dataset.id(), data.limit, heldOut, epochs, seed, out, progress);
    }

    static ClassifierFile.Loaded trainAndSave(DataFiles files, String datasetId, int limit, int heldOut, int epochs,
                                              long seed, Path out, PrintWriter progress) throws DataException, IOException {
        ImageDataset dataset = ImageDataset.load(files, limit);
        progress.printf("training the digit classifier on %d images of %s (%d held out), %d epochs%n",
                dataset.count() - heldOut, files.images(), heldOut, epochs);
        ClassifierFile.Loaded trained;
        try {
            trained = ClassifierTraining.train(dataset, files, datasetId, heldOut, epochs, seed,
                    epoch -> progress.printf("  epoch %d/%d%n", epoch, epochs));
        } catch (IllegalArgumentException e) {
            throw new UsageException("Invalid value for option '--holdout': " + e.getMessage());
        }
        ClassifierFile.save(trained.classifier(), trained.info(), out);
        progress.printf(Locale.ROOT, "held-out accuracy %.4f on %d images; saved %s%n",
                trained.info().heldOutAccuracy(), heldOut, out);
        return trained;
    }

    @Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Train the LeNet-style digit classifier with part of the data held out; report its accuracy.",
            footerHeading = "%nExample:%n",
            footer = "  gan classifier train --data ../shared/data/mnist --split test")
    static final class Train implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        BackendOption backend;

        @Mixin
        DataOptions data;

        @Option(names = "--holdout", paramLabel = "N", defaultValue = "" + ClassifierTraining.DEFAULT_HELD_OUT, description = "Images held out for the accuracy (default: ${DEFAULT-VALUE}).")
        int holdout;

        @Option(names = "--epochs", paramLabel = "N", defaultValue = "" + ClassifierTraining.DEFAULT_EPOCHS, description = "Training epochs (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Mixin
        SeedOption seed;

        @Option(names = "--out", paramLabel = "FILE", description = "Where to save it (default: ~/.gan/classifier/<dataset>.zip).")
        Path out;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() throws DataException, IOException {
            backend.start(spec.commandLine());
            data.validate(spec.commandLine());
            if (epochs <= 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "Invalid value for option '--epochs': " + epochs);
            }
            Path target = out != null ? out : ClassifierFile.defaultPath(data.dataset.id());
            PrintWriter progress = json.enabled ? new PrintWriter(PrintWriter.nullWriter()) : spec.commandLine().getOut();
            ClassifierFile.Loaded trained = trainAndSave(data, holdout, epochs, seed.seed, target, progress);
            if (json.enabled) {
                spec.commandLine().getOut().println(dev.gan.util.Json.compact(
                        java.util.Map.of("file", target.toString(), "classifier", trained.info())));
            }
            return ExitCodes.OK;
        }
    }
}
