package dev.gan.eval;

import dev.gan.util.Parallel;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Classifier-based quality of generated digits: the Inception-score analogue exp(E_x KL(p(y|x) || p(y)))
 * (at most the number of classes), the Frechet distance of penultimate-layer features to real images (with a
 * floor measured at the same set size: the distance's bias depends on the sizes compared), the
 * class histogram and mode coverage, label accuracy for conditional samples, mean confidence, and the share
 * of near-blank images.
 */
public final class QualityMetrics {

    /** Fewer than this share of pixels above 0.5 makes an image near-blank (real digits have about 19%). */
    static final double BLANK_INK = 0.01;

    private final DigitClassifier classifier;
    private final FeatureMoments reference;
    private final int referenceCount;
    /** Real images outside the reference: the floor compares as many of them with the reference as samples. */
    private final float[][] holdout;
    private final Map<Integer, Double> floors = new HashMap<>();
    /** The real images of the precision and recall manifolds (at most {@link #MANIFOLD_IMAGES}) and their radii. */
    private final float[][] manifold;
    private double[] manifoldRadii;
    /** Where the memorisation threshold of a set of training images is kept between runs (null: nowhere). */
    private final ReferenceCache cache;

    /** Images on each side of precision and recall: enough for a stable share, few enough for seconds. */
    static final int MANIFOLD_IMAGES = 5000;
    /** Samples checked against the training images for memorisation. */
    static final int MEMORISATION_SAMPLES = 1000;
    /** Training images whose distances to the others set the memorisation threshold. */
    static final int MEMORISATION_REFERENCE = 1000;

    /**
     * Real images a generator was trained on, as the IDX file's bytes (0..255: a quarter of the floats' memory,
     * 47 MB for the 60,000 training digits), for the memorisation check.
     */
    public record TrainingImages(byte[] pixels, int count, int imageSize) {
        NearestNeighbours.Rows rows() {
            return NearestNeighbours.Rows.ofPixels(pixels, count, imageSize);
        }
    }

    /**
     * @param referenceFeatures real images whose features define "real" (the test split)
     * @param holdoutFeatures   other real images: the floor is their distance to the reference, at the size of
     *                          the generated set, so that both distances carry the same small-sample bias
     */
    public QualityMetrics(DigitClassifier classifier, float[][] referenceFeatures, float[][] holdoutFeatures) {
        this(classifier, referenceFeatures, holdoutFeatures, null);
    }

    /** As above, keeping memorisation thresholds in {@code cache} (null: computed each time). */
    public QualityMetrics(DigitClassifier classifier, float[][] referenceFeatures, float[][] holdoutFeatures,
                          ReferenceCache cache) {
        this.classifier = classifier;
        this.cache = cache;
        this.reference = FeatureMoments.of(referenceFeatures);
        this.referenceCount = referenceFeatures.length;
        this.holdout = holdoutFeatures;
        this.manifold = manifoldOf(referenceFeatures);
    }

    /**
     * As above, from a cached reference: its derived figures (see {@link ReferenceCache.Reference}) are taken as
     * they are instead of computed again.
     */
    public QualityMetrics(DigitClassifier classifier, ReferenceCache.Reference reference, ReferenceCache cache) {
        this(classifier, reference.features(), reference.holdout(), cache);
        if (reference.manifoldRadii() != null && reference.manifoldRadii().length == manifold.length
                && manifold.length > QualityReport.MANIFOLD_K) {
            manifoldRadii = reference.manifoldRadii();
        }
        if (reference.floor() != null) {
            floors.put(holdout.length, reference.floor());
        }
    }

    /** {@code reference} with the figures every evaluation derives from it alike, as the cache keeps them. */
    static ReferenceCache.Reference derive(ReferenceCache.Reference reference) {
        float[][] manifold = manifoldOf(reference.features());
        double[] radii = manifold.length > QualityReport.MANIFOLD_K ? radiiOf(manifold) : new double[0];
        Double floor = reference.holdout().length >= 2 && reference.features().length >= 2
                ? floorOf(reference.holdout(), reference.holdout().length, FeatureMoments.of(reference.features()))
                : null;
        return new ReferenceCache.Reference(reference.features(), reference.holdout(), radii, floor);
    }

    /** The reference images of the precision and recall manifolds: the first {@link #MANIFOLD_IMAGES}. */
    private static float[][] manifoldOf(float[][] referenceFeatures) {
        return java.util.Arrays.copyOf(referenceFeatures, Math.min(MANIFOLD_IMAGES, referenceFeatures.length));
    }

    /** Each manifold image's squared distance to its k-th nearest other: the radius of its ball. */
    private static double[] radiiOf(float[][] manifold) {
        return NearestNeighbours.kthWithin(manifold, QualityReport.MANIFOLD_K);
    }

    /** The first {@code n} hold-out images' Frechet distance to the reference. */
    private static double floorOf(float[][] holdout, int n, FeatureMoments reference) {
        return FrechetDistance.between(FeatureMoments.of(java.util.Arrays.copyOf(holdout, n)), reference);
    }

    private synchronized double[] manifoldRadii() {
        if (manifoldRadii == null) {
            manifoldRadii = radiiOf(manifold);
        }
        return manifoldRadii;
    }

    /** Reference features from B, hold-out features from A: two disjoint sets of real images. */
    public static QualityMetrics withReference(DigitClassifier classifier, float[] realA, int countA, float[] realB,
                                               int countB, int imageSize) {
        ReferenceCache.Reference r = reference(classifier, realA, countA, realB, countB, imageSize);
        return new QualityMetrics(classifier, r.features(), r.holdout());
    }

    /** B's features are the reference, A's the hold-out. */
    static ReferenceCache.Reference reference(DigitClassifier classifier, float[] realA, int countA, float[] realB,
                                              int countB, int imageSize) {
        float[][] featuresA = classifier.run(realA, countA, imageSize).features();
        float[][] featuresB = classifier.run(realB, countB, imageSize).features();
        return new ReferenceCache.Reference(featuresB, featuresA);
    }

    /** How many images a Frechet distance compares with the reference: the generated set, at most the hold-out. */
    int comparedSize(int generated) {
        return Math.min(generated, holdout.length);
    }

    /** The floor for sets of {@code size} images: the first {@code size} hold-out images against the reference. */
    synchronized double floor(int size) {
        return floors.computeIfAbsent(size, n -> floorOf(holdout, n, reference));
    }

    public QualityReport evaluate(float[] images, int count, int imageSize, int[] intendedLabels) {
        return evaluate(images, count, imageSize, intendedLabels, null);
    }

    /** As above, with the memorisation check against {@code training} (null: none). */
    public QualityReport evaluate(float[] images, int count, int imageSize, int[] intendedLabels,
                                  TrainingImages training) {
        Accumulator accumulator = start();
        accumulator.add(images, count, imageSize, intendedLabels);
        return accumulator.finish(memorisedShare(images, count, imageSize, training));
    }

    /** Pixels per image the classifier takes. */
    public int imageSize() {
        return classifier.imageSize();
    }

    /** Precision and recall of a set of samples' features against the reference manifold; null where too few. */
    public record PrecisionRecall(Double precision, Double recall) {
    }

    /**
     * The share of {@code samples} (features) inside the reference manifold's k-NN balls, and of the manifold inside
     * the samples': precision and recall, each a few multiplies and scans that split poorly, so they run side by
     * side; {@code withPrecision} runs first in precision's job (the Frechet distance, where the finish computes
     * everything itself).
     */
    PrecisionRecall precisionRecall(float[][] samples, Runnable withPrecision) {
        boolean manifolds = samples.length > QualityReport.MANIFOLD_K && manifold.length > QualityReport.MANIFOLD_K;
        Double[] precision = new Double[1];
        Double[] recall = new Double[1];
        Parallel.sideBySide(() -> {
            withPrecision.run();
            if (manifolds) {
                precision[0] = NearestNeighbours.shareInside(samples, manifold, manifoldRadii());
            }
        }, () -> {
            if (manifolds) {
                recall[0] = NearestNeighbours.shareInside(manifold, samples,
                        NearestNeighbours.kthWithin(samples, QualityReport.MANIFOLD_K));
            }
        });
        return new PrecisionRecall(precision[0], recall[0]);
    }

    /** A judgement gathered batch by batch, in memory that does not grow with the number of images. */
    public Accumulator start() {
        return new Accumulator();
    }

    /**
     * The memorisation check of the first {@link #MEMORISATION_SAMPLES} of {@code count} images: the share nearer
     * (in pixels) to a training image than 99% of training images are to their nearest other; null without
     * {@code training} (or with fewer than two of them). Apart from the judgement: it needs only pixels, so it
     * can run beside it.
     */
    public Double memorisedShare(float[] images, int count, int imageSize, TrainingImages training) {
        return memorisedShare(images, count, imageSize, training, cache);
    }

    /** As above, keeping the threshold of a set of training images in {@code cache} (null: computed each time). */
    static Double memorisedShare(float[] images, int count, int imageSize, TrainingImages training,
                                 ReferenceCache cache) {
        if (training == null || count == 0 || training.count() < 2) {
            return null;
        }
        int checked = Math.min(count, MEMORISATION_SAMPLES);
        NearestNeighbours.Rows train = training.rows();
        double threshold = cache == null ? memorisationThreshold(train)
                : cache.memorisationThreshold(training, () -> memorisationThreshold(train));
        float[][] samples = new float[checked][];
        for (int i = 0; i < checked; i++) {
            samples[i] = java.util.Arrays.copyOfRange(images, i * imageSize, (i + 1) * imageSize);
        }
        boolean[] near = NearestNeighbours.anyWithin(NearestNeighbours.Rows.of(samples), train, threshold);
        int memorised = 0;
        for (boolean n : near) {
            memorised += n ? 1 : 0;
        }
        return memorised / (double) near.length;
    }

    /**
     * The running sums behind a {@link QualityReport}. The classifier score uses
     * E_x KL(p(y|x) || p(y)) = E_x sum_k p log p - sum_k p(y=k) log p(y=k), so it too needs only sums.
     */
    public final class Accumulator {
        /** The features of the first samples, as many as the hold-out: the set the Frechet distance compares. */
        private final FeatureMoments features = new FeatureMoments();
        private double[] marginal;
        private int[] histogram;
        private int[] asked;
        private int[] hit;
        private double negativeEntropy;
        private double confidence;
        private long blank;
        private int count;
        private boolean labelled;
        /** The first samples' features, for precision and recall. */
        private final java.util.List<float[]> sampleFeatures = new java.util.ArrayList<>();
        /** Told the first samples' features once all {@link #MANIFOLD_IMAGES} are in, or at the finish. */
        private java.util.function.Consumer<float[][]> manifoldListener;
        private boolean manifoldTold;
        /** The first images' pixels, for their spread. */
        private float[] spreadPixels;
        private int spreadCount;

        private Accumulator() {
        }

        /** Adds {@code count} images; {@code intendedLabels} null for images asked for no digit. */
        public void add(float[] images, int count, int imageSize, int[] intendedLabels) {
            DigitClassifier.Outputs outputs = classifier.run(images, count, imageSize);
            float[][] rows = outputs.features();
            features.add(rows, (int) Math.max(0, Math.min(rows.length, holdout.length - features.count())));
            for (int i = 0; i < rows.length && sampleFeatures.size() < MANIFOLD_IMAGES; i++) {
                sampleFeatures.add(rows[i]);
            }
            if (sampleFeatures.size() == MANIFOLD_IMAGES) {
                tellManifold();
            }
            for (int i = 0; i < count && spreadCount < QualityReport.SPREAD_SAMPLES; i++, spreadCount++) {
                if (spreadPixels == null) {
                    spreadPixels = new float[QualityReport.SPREAD_SAMPLES * imageSize];
                }
                System.arraycopy(images, i * imageSize, spreadPixels, spreadCount * imageSize, imageSize);
            }
            float[][] p = outputs.probabilities();
            if (histogram == null) {
                int classes = p[0].length;
                marginal = new double[classes];
                histogram = new int[classes];
                asked = new int[classes];
                hit = new int[classes];
                labelled = intendedLabels != null;
            }
            for (int i = 0; i < count; i++) {
                float[] row = p[i];
                int best = DigitClassifier.argMax(row);
                histogram[best]++;
                confidence += row[best];
                for (int k = 0; k < row.length; k++) {
                    marginal[k] += row[k];
                    if (row[k] > 0) {
                        negativeEntropy += row[k] * Math.log(row[k]);
                    }
                }
                if (intendedLabels != null) {
                    asked[intendedLabels[i]]++;
                    hit[intendedLabels[i]] += best == intendedLabels[i] ? 1 : 0;
                }
            }
            blank += blankCount(images, count, imageSize);
            this.count += count;
        }

        /**
         * Hands the first samples' features (all of them, or the {@link #MANIFOLD_IMAGES} precision and recall take)
         * to {@code listener} as soon as they are in, so that precision and recall can be computed elsewhere while
         * the rest are judged; {@link #finish(Supplier, Supplier)} then takes the result.
         */
        void whenManifoldSamplesAreIn(java.util.function.Consumer<float[][]> listener) {
            manifoldListener = listener;
        }

        private void tellManifold() {
            if (manifoldListener != null && !manifoldTold) {
                manifoldTold = true;
                manifoldListener.accept(sampleFeatures.toArray(float[][]::new));
            }
        }

        /** The report, carrying {@code memorisedShare} (see {@link #memorisedShare}; null: not checked). */
        public QualityReport finish(Double memorisedShare) {
            return finish(() -> memorisedShare, null);
        }

        /**
         * As above, with the memorisation check's result from {@code memorisedShare} (null from it: not checked),
         * and precision and recall from {@code elsewhere}, computed from the features this accumulator handed over
         * (null: computed here, beside the Frechet distance); both are asked for after the handing over.
         */
        QualityReport finish(Supplier<Double> memorisedShare, Supplier<PrecisionRecall> elsewhere) {
            tellManifold();
            int classes = histogram.length;
            double meanKl = negativeEntropy / count;
            for (int k = 0; k < classes; k++) {
                double m = marginal[k] / count;
                if (m > 0) {
                    meanKl -= m * Math.log(m);
                }
            }
            int modes = 0;
            for (int h : histogram) {
                modes += h >= QualityReport.MODE_SHARE * count ? 1 : 0;
            }
            Double labelAccuracy = null;
            Double[] perDigit = null;
            if (labelled) {
                int correct = 0;
                perDigit = new Double[classes];
                for (int k = 0; k < classes; k++) {
                    correct += hit[k];
                    perDigit[k] = asked[k] == 0 ? null : hit[k] / (double) asked[k];
                }
                labelAccuracy = correct / (double) count;
            }
            int compared = (int) features.count();
            double[] frechet = new double[1];
            PrecisionRecall pr;
            if (elsewhere == null) {
                pr = precisionRecall(sampleFeatures.toArray(float[][]::new),
                        () -> frechet[0] = FrechetDistance.between(features, reference));
            } else {
                frechet[0] = FrechetDistance.between(features, reference);
                pr = elsewhere.get();
            }
            Double memorised = memorisedShare.get();
            return new QualityReport(count, Math.exp(meanKl), frechet[0],
                    floor(compared), compared, referenceCount, histogram.clone(), modes, labelAccuracy, perDigit,
                    confidence / count, blank / (double) count, pr.precision(), pr.recall(), memorised,
                    spreadCount < 2 ? null : dev.gan.run.CollapseWatch.spread(spreadPixels, spreadCount,
                            spreadPixels.length / QualityReport.SPREAD_SAMPLES));
        }
    }

    /** The 1st percentile of the first training images' distances to their nearest other training image. */
    private static double memorisationThreshold(NearestNeighbours.Rows train) {
        double[] realToReal = NearestNeighbours.nearestOther(train, Math.min(MEMORISATION_REFERENCE, train.count()));
        java.util.Arrays.sort(realToReal);
        return realToReal[(int) Math.floor(0.01 * (realToReal.length - 1))];
    }

    static int blankCount(float[] images, int count, int imageSize) {
        int blank = 0;
        for (int n = 0; n < count; n++) {
            int ink = 0;
            for (int i = n * imageSize; i < (n + 1) * imageSize; i++) {
                ink += images[i] > 0.5f ? 1 : 0;
            }
            blank += ink < BLANK_INK * imageSize ? 1 : 0;
        }
        return blank;
    }
}
