package dev.gan.eval;

/**
 * Classifier-based quality of generated digits: the Inception-score analogue exp(E_x KL(p(y|x) || p(y)))
 * (at most the number of classes), the Frechet distance of penultimate-layer features to real images, the
 * class histogram and mode coverage, label accuracy for conditional samples, mean confidence, and the share
 * of near-blank images.
 */
public final class QualityMetrics {

    /** Fewer than this share of pixels above 0.5 makes an image near-blank (real digits have about 19%). */
    static final double BLANK_INK = 0.01;

    private final DigitClassifier classifier;
    private final FeatureMoments reference;
    private final double floor;

    /**
     * @param reference real images whose features define "real" (the test split)
     * @param floor     Frechet distance between two real samples: the best a generator can hope for
     */
    public QualityMetrics(DigitClassifier classifier, float[][] referenceFeatures, double floor) {
        this.classifier = classifier;
        this.reference = FeatureMoments.of(referenceFeatures);
        this.floor = floor;
    }

    /** Reference features of real images, and the real-vs-real floor from two disjoint real samples. */
    public static QualityMetrics withReference(DigitClassifier classifier, float[] realA, int countA, float[] realB,
                                               int countB, int imageSize) {
        ReferenceCache.Reference r = reference(classifier, realA, countA, realB, countB, imageSize);
        return new QualityMetrics(classifier, r.features(), r.floor());
    }

    /** B's features are the reference; the floor is the Frechet distance between A's and B's. */
    static ReferenceCache.Reference reference(DigitClassifier classifier, float[] realA, int countA, float[] realB,
                                              int countB, int imageSize) {
        float[][] featuresA = classifier.run(realA, countA, imageSize).features();
        float[][] featuresB = classifier.run(realB, countB, imageSize).features();
        return new ReferenceCache.Reference(featuresB, FrechetDistance.between(featuresA, featuresB));
    }

    public QualityReport evaluate(float[] images, int count, int imageSize, int[] intendedLabels) {
        Accumulator accumulator = start();
        accumulator.add(images, count, imageSize, intendedLabels);
        return accumulator.finish();
    }

    /** Pixels per image the classifier takes. */
    public int imageSize() {
        return classifier.imageSize();
    }

    /** A judgement gathered batch by batch, in memory that does not grow with the number of images. */
    public Accumulator start() {
        return new Accumulator();
    }

    /**
     * The running sums behind a {@link QualityReport}. The classifier score uses
     * E_x KL(p(y|x) || p(y)) = E_x sum_k p log p - sum_k p(y=k) log p(y=k), so it too needs only sums.
     */
    public final class Accumulator {
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

        private Accumulator() {
        }

        /** Adds {@code count} images; {@code intendedLabels} null for images asked for no digit. */
        public void add(float[] images, int count, int imageSize, int[] intendedLabels) {
            DigitClassifier.Outputs outputs = classifier.run(images, count, imageSize);
            features.add(outputs.features());
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

        public QualityReport finish() {
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
            double[] perDigit = null;
            if (labelled) {
                int correct = 0;
                perDigit = new double[classes];
                for (int k = 0; k < classes; k++) {
                    correct += hit[k];
                    perDigit[k] = asked[k] == 0 ? Double.NaN : hit[k] / (double) asked[k];
                }
                labelAccuracy = correct / (double) count;
            }
            return new QualityReport(count, Math.exp(meanKl), FrechetDistance.between(features, reference), floor,
                    histogram.clone(), modes, labelAccuracy, perDigit, confidence / count, blank / (double) count);
        }
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
