package dev.gan.eval;

import dev.gan.data.DataException;
import dev.gan.data.DataFiles;
import dev.gan.data.IdxFile;
import dev.gan.data.IdxReader;
import dev.gan.data.Split;
import dev.gan.model.GeneratorFile;
import dev.gan.sample.Sampler;
import dev.gan.train.EpochEvaluator;
import dev.gan.util.Parallel;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * A classifier plus real reference images: judges generators and image sets. Generated images are compared
 * with the test split, which no model trains on by default; the floor is the distance of as many real training
 * images to the same reference. A data folder without a train split falls back to the test split alone,
 * alternate images on each side.
 */
public final class Evaluator {

    /** Real training images whose features make the floor: enough for the default 10,000 samples. */
    static final int FLOOR_IMAGES = 10_000;
    /** Images turned into floats at a time while their features are computed: heap stays small for any set. */
    private static final int CHUNK = 1000;

    /** What the generated images are compared with, for eval.json and the table. */
    public record Reference(Path images, int count, String split, Path floorImages, int floorCount,
                            String description) {
    }

    private final QualityMetrics metrics;
    private final Reference reference;

    private Evaluator(QualityMetrics metrics, Reference reference) {
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
        IdxFile first = IdxReader.readImages(testFiles.images(), 1);
        if (first.itemSize() != classifier.imageSize()) {
            throw new DataException(testFiles.images() + ": images are " + first.dims()[0] + "x" + first.dims()[1]
                    + ", the classifier judges " + classifier.imageSize() + " pixels: use a classifier trained on "
                    + "images of this size (gan classifier train --data DIR)");
        }
        Reference described;
        List<Path> images;
        ReferenceCache.Computation<DataException> computation;
        if (DataFiles.missing(dir, Split.TRAIN).isEmpty()) {
            DataFiles trainFiles = DataFiles.locate(dir, Split.TRAIN);
            images = List.of(trainFiles.images(), testFiles.images());
            IdxFile testHeader = IdxReader.readImages(testFiles.images(), 1);
            IdxFile trainHeader = IdxReader.readImages(trainFiles.images(), 1);
            int floor = Math.min(FLOOR_IMAGES, trainHeader.declared());
            described = new Reference(testFiles.images(), testHeader.declared(), "test", trainFiles.images(), floor,
                    "the test split (" + testHeader.declared() + " images); floor: the first " + floor
                            + " training images against it");
            computation = () -> new ReferenceCache.Reference(
                    features(classifier, IdxReader.readImages(testFiles.images(), 0)),
                    features(classifier, IdxReader.readImages(trainFiles.images(), floor)));
        } else {
            // Alternate images, not the first and the second half: MNIST's test set is ordered by writer
            // population (its first 5,000 digits come from other writers than its last 5,000), and halves would put
            // that difference into the floor (measured: real digits of the first half sat 2.5 times a floor
            // taken within the second).
            images = List.of(testFiles.images());
            IdxFile test = IdxReader.readImages(testFiles.images(), 0);
            described = new Reference(testFiles.images(), test.count() / 2, "test (odd images)", testFiles.images(),
                    (test.count() + 1) / 2, "alternate images of the test split (odd: reference, even: floor; "
                    + "no train split in " + dir + ")");
            computation = () -> {
                int size = test.itemSize();
                int even = (test.count() + 1) / 2;
                int odd = test.count() / 2;
                byte[] a = new byte[even * size];
                byte[] b = new byte[odd * size];
                for (int i = 0; i < test.count(); i++) {
                    System.arraycopy(test.data(), i * size, i % 2 == 0 ? a : b, (i / 2) * size, size);
                }
                return new ReferenceCache.Reference(features(classifier, b, odd, size), features(classifier, a, even, size));
            };
        }
        ReferenceCache.Reference reference = cache.get(classifier, images, described.description(), computation);
        return new Evaluator(new QualityMetrics(classifier, reference, cache), described);
    }

    private static float[][] features(DigitClassifier classifier, IdxFile images) {
        return features(classifier, images.data(), images.count(), images.itemSize());
    }

    /** The classifier's features of IDX bytes, a chunk of images at a time. */
    private static float[][] features(DigitClassifier classifier, byte[] pixels, int count, int size) {
        float[][] features = new float[count][];
        float[] chunk = new float[Math.min(CHUNK, count) * size];
        for (int first = 0; first < count; first += CHUNK) {
            int n = Math.min(CHUNK, count - first);
            for (int i = 0; i < n * size; i++) {
                chunk[i] = (pixels[first * size + i] & 0xFF) / 255f;
            }
            System.arraycopy(classifier.run(chunk, n, size).features(), 0, features, first, n);
        }
        return features;
    }

    public Reference reference() {
        return reference;
    }

    /**
     * Draws the samples of an evaluation that {@link #begin} started (a conditional model cycles through the digits)
     * and judges them, a batch at a time: memory stays flat for any count; its memorisation check, precision and
     * recall come from the work begun beside. {@code progress} is told how many samples are judged after each batch. A
     * generator whose images are not the classifier's size is refused.
     */
    public QualityReport evaluate(Begun begun, IntConsumer progress) throws DataException {
        GeneratorFile.Loaded generator = begun.generator;
        if (generator.spec().imageSize() != metrics.imageSize()) {
            throw new DataException("the generator draws " + generator.spec().rows() + "x" + generator.spec().cols()
                    + " images, the classifier judges " + metrics.imageSize() + " pixels: use a classifier trained on "
                    + "images of the generator's size (gan classifier train --data DIR)");
        }
        return judge(generator, begun.count, begun.seed, begun, progress);
    }

    /**
     * An evaluation of a generator begun before the classifier and the reference are there. On two or more threads
     * two pieces of it run {@link Parallel#beside} the rest, each on half of the threads while it runs: the
     * memorisation check (the first {@link QualityMetrics#MEMORISATION_SAMPLES} samples against every training
     * image: it needs neither the classifier nor the reference, so it starts before they load), and precision and
     * recall, which start as soon as the judging has the first samples' features instead of after it (both are
     * short multiplies and scans that split poorly). On one thread each runs when the judging asks for its result,
     * doing the same work. Close it when done (or failed).
     */
    public static final class Begun implements AutoCloseable {
        private final GeneratorFile.Loaded generator;
        private final int count;
        private final long seed;
        private final Parallel.Beside<Double> memorisation;
        /** Started by the judging (null until then). */
        private Parallel.Beside<QualityMetrics.PrecisionRecall> precisionRecall;

        private Begun(GeneratorFile.Loaded generator, int count, long seed,
                      Supplier<QualityMetrics.TrainingImages> training) {
            this.generator = generator;
            this.count = count;
            this.seed = seed;
            int checked = Math.min(count, QualityMetrics.MEMORISATION_SAMPLES);
            // Drawn here and again by the judging (the same seed draws the same images; 0.05 s): the two jobs share
            // no generator.
            float[] firstSamples = new Sampler(generator).generate(checked, intendedLabels(generator, checked), seed, 0);
            int size = generator.spec().imageSize();
            ReferenceCache cache = ReferenceCache.standard();
            memorisation = Parallel.beside(() -> training == null ? null
                    : QualityMetrics.memorisedShare(firstSamples, checked, size, training.get(), cache));
        }

        @Override
        public void close() {
            try (Parallel.Beside<?> first = memorisation) {
                if (precisionRecall != null) {
                    precisionRecall.close();
                }
            }
        }
    }

    /**
     * Begins evaluating {@code count} samples of {@code generator} with {@code seed}; {@code training} reads the
     * images it trained on for the memorisation check (null: no check; it may give null when they are gone).
     */
    public static Begun begin(GeneratorFile.Loaded generator, int count, long seed,
                              Supplier<QualityMetrics.TrainingImages> training) {
        return new Begun(generator, count, seed, training);
    }

    /** The digit each of the first {@code count} samples is asked for: 0, 1, ..., 9, 0, ... (null: a plain model). */
    private static int[] intendedLabels(GeneratorFile.Loaded generator, int count) {
        if (!generator.spec().conditional()) {
            return null;
        }
        int[] intended = new int[count];
        for (int i = 0; i < count; i++) {
            intended[i] = i % generator.spec().numClasses();
        }
        return intended;
    }

    private QualityReport judge(GeneratorFile.Loaded generator, int count, long seed, Begun begun,
                                IntConsumer progress) {
        Sampler sampler = new Sampler(generator);
        int[] labels = intendedLabels(generator, count);
        QualityMetrics.Accumulator judged = metrics.start();
        if (begun != null) {
            judged.whenManifoldSamplesAreIn(samples -> begun.precisionRecall =
                    Parallel.beside(() -> metrics.precisionRecall(samples, () -> { })));
        }
        int size = generator.spec().imageSize();
        sampler.generate(count, labels, seed, 0, (first, images, n) -> {
            judged.add(images, n, size, labels == null ? null : Arrays.copyOfRange(labels, first, first + n));
            progress.accept(first + n);
        });
        if (begun == null) {
            return judged.finish(null);
        }
        // The precision and recall job starts when the first samples' features are in: at the latest in finish.
        return judged.finish(begun.memorisation, () -> begun.precisionRecall.get());
    }

    /** For gan train --eval-every: a quick evaluation of {@code count} samples with a fixed seed. */
    public EpochEvaluator asEpochEvaluator(int count, long seed) {
        return (generator, spec, epoch) -> {
            QualityReport r = judge(new GeneratorFile.Loaded(generator, spec), count, seed, null, judged -> { });
            return new EpochEvaluator.Quality(r.classifierScore(), r.frechetDistance(), r.labelAccuracy());
        };
    }

    public QualityReport evaluate(float[] images, int count, int imageSize, int[] intendedLabels) {
        return metrics.evaluate(images, count, imageSize, intendedLabels);
    }
}
