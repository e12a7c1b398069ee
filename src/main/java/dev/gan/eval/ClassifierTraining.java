package dev.gan.eval;

import dev.gan.data.DataFiles;
import dev.gan.data.ImageDataset;
import dev.gan.util.Checksums;

import java.io.IOException;
import java.util.function.IntConsumer;

/** Trains a {@link DigitClassifier} on all but the last {@code heldOut} images and measures it on those. */
public final class ClassifierTraining {

    public static final int DEFAULT_EPOCHS = 10;
    public static final int DEFAULT_HELD_OUT = 2000;
    private static final int BATCH = 64;

    private ClassifierTraining() {
    }

    public static ClassifierFile.Loaded train(ImageDataset data, DataFiles files, String dataset, int heldOut,
                                              int epochs, long seed, IntConsumer epochDone) throws IOException {
        if (heldOut <= 0 || heldOut >= data.count() - BATCH) {
            throw new IllegalArgumentException("held-out count " + heldOut + " must leave at least " + BATCH
                    + " of the " + data.count() + " images for training");
        }
        int trainCount = data.count() - heldOut;
        DigitClassifier classifier = DigitClassifier.create(data.rows(), data.cols(), data.numClasses(), seed);
        classifier.train(data, trainCount, epochs, BATCH, seed, epochDone);
        double accuracy = classifier.accuracy(data, trainCount, data.count());
        ClassifierFile.Info info = new ClassifierFile.Info(dataset, files.images().toAbsolutePath().toString(),
                Checksums.sha256(files.images()), Checksums.sha256(files.labels()), trainCount, heldOut, epochs,
                accuracy, seed);
        return new ClassifierFile.Loaded(classifier, info);
    }
}
