package dev.gan.eval;

import dev.gan.data.DataException;
import dev.gan.data.DataFiles;
import dev.gan.data.ImageDataset;
import dev.gan.data.Split;
import dev.gan.model.GeneratorFile;
import dev.gan.sample.Sampler;
import dev.gan.train.EpochEvaluator;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A classifier plus real reference images: judges generators and image sets. Generated images are compared
 * with real test images; the floor is the distance of as many other real images to the same reference (the
 * train split's where it is present, else the test split's other half, taken as alternate images).
 */
public final class Evaluator {

    private final QualityMetrics metrics;
    private final String reference;

    private Evaluator(QualityMetrics metrics, String reference) {
        this.metrics = metrics;
        this.reference = reference;
    }

    public static Evaluator forDataDirectory(DigitClassifier classifier, Path dir) throws DataException {
        return forDataDirectory(classifier, dir, ReferenceCache.standard());
    }

    /** As {@link #forDataDirectory(DigitClassifier, Path)}, keeping the real images' features in {@code cache}. */
    public static Evaluator forDataDirectory(DigitClassifier classifier, Path dir, ReferenceCache cache)
            throws DataException {
        DataFiles testFiles = DataFiles.locate(dir, Split.TEST);
        String recipe;
        List<Path> images;
        ReferenceCache.Computation<DataException> computation;
        if (DataFiles.missing(dir, Split.TRAIN).isEmpty()) {
            DataFiles trainFiles = DataFiles.locate(dir, Split.TRAIN);
            recipe = "train split vs test split";
            images = List.of(trainFiles.images(), testFiles.images());
            computation = () -> {
                ImageDataset test = ImageDataset.load(testFiles, 0);
                ImageDataset train = ImageDataset.load(trainFiles, test.count());
                return QualityMetrics.reference(classifier, train.pixels(), train.count(), test.pixels(),
                        test.count(), test.imageSize());
            };
        } else {
            // Alternate images, not the first and the second half: MNIST's test set is ordered by writer
            // population (its first 5,000 digits come from other writers than its last 5,000), and halves would put
            // that difference into the floor (measured: real digits of the first half sat 2.5 times a floor
            // taken within the second).
            recipe = "alternate images of the test split (odd: reference, even: floor)";
            images = List.of(testFiles.images());
            computation = () -> {
                ImageDataset test = ImageDataset.load(testFiles, 0);
                int size = test.imageSize();
                int even = (test.count() + 1) / 2;
                int odd = test.count() / 2;
                float[] a = new float[even * size];
                float[] b = new float[odd * size];
                for (int i = 0; i < test.count(); i++) {
                    System.arraycopy(test.pixels(), i * size, i % 2 == 0 ? a : b, (i / 2) * size, size);
                }
                return QualityMetrics.reference(classifier, a, even, b, odd, size);
            };
        }
        ReferenceCache.Reference reference = cache.get(classifier, images, recipe, computation);
        return new Evaluator(new QualityMetrics(classifier, reference.features(), reference.holdout()), recipe);
    }

    public String reference() {
        return reference;
    }

    /**
     * Draws {@code count} samples (a conditional model cycles through the digits) and judges them, a batch at a
     * time: memory stays flat for any count. A generator whose images are not the classifier's size is refused.
     */
    public QualityReport evaluate(GeneratorFile.Loaded generator, int count, long seed) throws DataException {
        return evaluate(generator, count, seed, null);
    }

    /** As {@link #evaluate(GeneratorFile.Loaded, int, long)}, checking the samples against its training images. */
    public QualityReport evaluate(GeneratorFile.Loaded generator, int count, long seed,
                                  QualityMetrics.TrainingImages training) throws DataException {
        if (generator.spec().imageSize() != metrics.imageSize()) {
            throw new DataException("the generator draws " + generator.spec().rows() + "x" + generator.spec().cols()
                    + " images, the classifier judges " + metrics.imageSize() + " pixels: use a classifier trained on "
                    + "images of the generator's size (gan classifier train --data DIR)");
        }
        return judge(generator, count, seed, training);
    }

    private QualityReport judge(GeneratorFile.Loaded generator, int count, long seed,
                                QualityMetrics.TrainingImages training) {
        Sampler sampler = new Sampler(generator);
        int[] intended = null;
        if (generator.spec().conditional()) {
            intended = new int[count];
            for (int i = 0; i < count; i++) {
                intended[i] = i % generator.spec().numClasses();
            }
        }
        int[] labels = intended;
        QualityMetrics.Accumulator judged = metrics.start(training);
        int size = generator.spec().imageSize();
        sampler.generate(count, intended, seed, 0, (first, images, n) -> judged.add(images, n, size,
                labels == null ? null : java.util.Arrays.copyOfRange(labels, first, first + n)));
        return judged.finish();
    }

    /** For gan train --eval-every: a quick evaluation of {@code count} samples with a fixed seed. */
    public EpochEvaluator asEpochEvaluator(int count, long seed) {
        return (generator, spec, epoch) -> {
            QualityReport r = judge(new GeneratorFile.Loaded(generator, spec), count, seed, null);
            return new EpochEvaluator.Quality(r.classifierScore(), r.frechetDistance(), r.labelAccuracy());
        };
    }

    public QualityReport evaluate(float[] images, int count, int imageSize, int[] intendedLabels) {
        return metrics.evaluate(images, count, imageSize, intendedLabels);
    }
}
