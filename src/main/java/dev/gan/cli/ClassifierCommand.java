package dev.gan.cli;

import dev.gan.data.DataException;
import dev.gan.data.DataFiles;
import dev.gan.data.ImageDataset;
import dev.gan.data.Split;
import dev.gan.eval.ClassifierFile;
import dev.gan.eval.ClassifierTraining;
import dev.gan.model.InvalidModelException;
import dev.gan.run.Ownership;
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

    /** Finds a split's files in the folder a first-use classifier learns from (it may download them). */
    @FunctionalInterface
    interface TrainingData {
        DataFiles locate(Split split) throws DataException;
    }

    /**
     * The classifier in {@code explicit} if given, else the data set's default one, trained first (saying so) when
     * it does not exist yet: gan eval, gan train --eval-every and gan sample all judge with this. The default
     * learns from all of the train split and is measured on the test split; only a folder without a train split
     * gives one that learns from the test split, under its own name. A default below
     * {@link ClassifierTraining#saneAccuracy} for its data set is neither saved nor used.
     */
    static ClassifierFile.Loaded loadOrTrain(Path explicit, String datasetId, TrainingData data, long seed,
                                             PrintWriter progress) throws DataException, IOException, InvalidModelException {
        if (explicit != null) {
            return ClassifierFile.load(explicit);
        }
        DataFiles train;
        DataException trainMissing;
        try {
            train = data.locate(Split.TRAIN);
            trainMissing = null;
        } catch (DataException e) {
            train = null;
            trainMissing = e;
        }
        DataFiles test = locateOrNull(data, Split.TEST);
        if (train == null && test == null) {
            throw trainMissing;
        }
        Path file = ClassifierFile.defaultPath(datasetId, train != null ? Split.TRAIN : Split.TEST);
        if (Files.exists(file)) {
            ClassifierFile.Loaded loaded = ClassifierFile.load(file);
            if (loaded.info().heldOutAccuracy() < ClassifierTraining.saneAccuracy(datasetId)) {
                throw new InvalidModelException(file + ": held-out accuracy " + String.format(Locale.ROOT, "%.4f",
                        loaded.info().heldOutAccuracy()) + " is below " + ClassifierTraining.saneAccuracy(datasetId)
                        + ", not a digit classifier to judge with: delete it, or train one (gan classifier train)");
            }
            return loaded;
        }
        ClassifierFile.Loaded trained;
        if (train != null && test != null) {
            progress.println("no classifier at " + file + " yet: training one on the train split first (about a minute "
                    + "on two cores, a minute and a half on one)");
            trained = trainAndSave(train, test, datasetId, 0, ClassifierTraining.DEFAULT_TRAIN_SPLIT_EPOCHS, seed,
                    null, progress);
        } else {
            DataFiles only = train != null ? train : test;
            progress.println("no classifier at " + file + " yet: training one on " + only.images()
                    + " first, the last " + ClassifierTraining.DEFAULT_HELD_OUT + " images held out (no "
                    + (train != null ? "test" : "train") + " split beside it)");
            trained = trainAndSave(only, null, datasetId, 0, ClassifierTraining.DEFAULT_EPOCHS, seed,
                    ClassifierTraining.DEFAULT_HELD_OUT, progress);
        }
        if (trained.info().heldOutAccuracy() < ClassifierTraining.saneAccuracy(datasetId)) {
            throw new DataException(trained.info().images() + ": a classifier trained on these images reaches "
                    + String.format(Locale.ROOT, "%.4f", trained.info().heldOutAccuracy()) + " held-out accuracy, "
                    + "below " + ClassifierTraining.saneAccuracy(datasetId) + ": not labelled digits; not saved as " + file);
        }
        ClassifierFile.save(trained.classifier(), trained.info(), file);
        progress.printf("saved %s%n", file);
        return trained.withFile(file);
    }

    /**
     * One line on stderr when {@code loaded} learnt from another data set than the images it is to judge
     * ({@code datasetId}): an MNIST classifier's scores of Fashion-MNIST images say nothing. Nothing when they
     * match, or for a file that does not say.
     */
    static void warnIfMismatched(ClassifierFile.Loaded loaded, String datasetId, CommandLine cli) {
        String learnt = loaded.info().dataset();
        if (learnt == null || learnt.equals(datasetId)) {
            return;
        }
        cli.getErr().println(cli.getCommandSpec().qualifiedName() + ": "
                + (loaded.file() != null ? loaded.file() + ": " : "") + "this classifier learnt from " + learnt
                + " images and is to judge " + datasetId + " ones: its figures say little (train one with gan classifier "
                + "train --dataset " + datasetId + ", or leave out --classifier)");
        cli.getErr().flush();
    }

    private static DataFiles locateOrNull(TrainingData data, Split split) {
        try {
            return data.locate(split);
        } catch (DataException e) {
            return null;
        }
    }

    /**
     * Trains and reports held-out accuracy: on all of {@code files} (up to {@code limit}) measured on
     * {@code heldOutFiles}, or, without them, on all but the last {@code heldOut} images of {@code files}.
     */
    static ClassifierFile.Loaded trainAndSave(DataFiles files, DataFiles heldOutFiles, String datasetId, int limit,
                                              int epochs, long seed, Integer heldOut, PrintWriter progress)
            throws DataException, IOException {
        ImageDataset dataset = ImageDataset.load(files, limit);
        ClassifierFile.Loaded trained;
        try {
            if (heldOutFiles != null) {
                ClassifierTraining.requireLearnable(dataset.count()); // before saying it trains
                ImageDataset heldOutSet = ImageDataset.load(heldOutFiles, 0);
                progress.printf("training the digit classifier on %d images of %s, %d epochs; held out: %d images "
                        + "of %s%n", dataset.count(), files.images(), epochs, heldOutSet.count(), heldOutFiles.images());
                trained = ClassifierTraining.train(dataset, files, heldOutSet, heldOutFiles, datasetId, epochs, seed,
                        epoch -> progress.printf("  epoch %d/%d%n", epoch, epochs));
            } else {
                ClassifierTraining.requireHeldOut(heldOut, dataset.count());
                progress.printf("training the digit classifier on %d images of %s (the last %d held out), %d "
                        + "epochs%n", Math.max(0, dataset.count() - heldOut), files.images(), heldOut, epochs);
                trained = ClassifierTraining.train(dataset, files, datasetId, heldOut, epochs, seed,
                        epoch -> progress.printf("  epoch %d/%d%n", epoch, epochs));
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(heldOutFiles != null ? "Invalid value for option '--limit': " + e.getMessage()
                    : "Invalid value for option '--holdout': " + e.getMessage());
        }
        progress.printf(Locale.ROOT, "held-out accuracy %.4f on %d images%n", trained.info().heldOutAccuracy(),
                trained.info().heldOut());
        return trained;
    }

    @Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Train the LeNet-style digit classifier with part of the data held out; report its accuracy.",
            footerHeading = "%nExample:%n",
            footer = "  gan classifier train --data ~/data/mnist")
    static final class Train implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        BackendOption backend;

        @Mixin
        DataOptions data;

        @Option(names = "--holdout", paramLabel = "N", description = "Hold out the last N images of the split for the "
                + "accuracy (default: none with --split train and a test split beside it, which is then the held-out "
                + "set; else " + ClassifierTraining.DEFAULT_HELD_OUT + ").")
        Integer holdout;

        @Option(names = "--epochs", paramLabel = "N", description = "Training epochs (default: "
                + ClassifierTraining.DEFAULT_TRAIN_SPLIT_EPOCHS + " on the train split with the test split held out, "
                + "else " + ClassifierTraining.DEFAULT_EPOCHS + ").")
        Integer epochs;

        @Mixin
        SeedOption seed;

        @Option(names = "--out", paramLabel = "FILE", description = "Where to save it (default: "
                + "~/.gan/classifier/<dataset>-<split>.zip); an existing file is replaced only when it is a gan "
                + "classifier, or with --force.")
        Path out;

        @Option(names = "--force", description = "Replace the --out file even if it is not a gan classifier.")
        boolean force;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() throws DataException, IOException {
            backend.startComputing(spec.commandLine());
            data.validate(spec.commandLine());
            if (epochs != null && epochs <= 0) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "Invalid value for option '--epochs': must be positive, got " + epochs);
            }
            Path target = out != null ? out : ClassifierFile.defaultPath(data.dataset.id(), data.split);
            Ownership.requireWritable(target, Ownership.Kind.CLASSIFIER, force, "--force");
            PrintWriter progress = json.enabled ? new PrintWriter(PrintWriter.nullWriter()) : spec.commandLine().getOut();
            DataFiles files = data.locate(new ProgressReporter(ProgressReporter.Mode.LINES, progress));
            // The test split is the held-out set of a classifier that learns from the train split, unless --holdout
            // asks for part of the split itself.
            DataFiles heldOutFiles = data.split == Split.TRAIN && holdout == null
                    && DataFiles.missing(data.resolvedDir(), Split.TEST).isEmpty()
                    ? DataFiles.locate(data.resolvedDir(), Split.TEST) : null;
            int chosenEpochs = epochs != null ? epochs : heldOutFiles != null
                    ? ClassifierTraining.DEFAULT_TRAIN_SPLIT_EPOCHS : ClassifierTraining.DEFAULT_EPOCHS;
            ClassifierFile.Loaded trained = trainAndSave(files, heldOutFiles, data.dataset.id(), data.limit,
                    chosenEpochs, seed.seed, holdout != null ? holdout : ClassifierTraining.DEFAULT_HELD_OUT, progress);
            Ownership.requireWritable(target, Ownership.Kind.CLASSIFIER, force, "--force");
            ClassifierFile.save(trained.classifier(), trained.info(), target);
            progress.printf("saved %s%n", target);
            if (json.enabled) {
                spec.commandLine().getOut().println(dev.gan.util.Json.compact(
                        java.util.Map.of("file", target.toString(), "classifier", trained.info())));
            }
            return ExitCodes.OK;
        }
    }
}
