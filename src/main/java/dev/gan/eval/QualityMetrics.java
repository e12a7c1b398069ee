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
    private final float[][] referenceFeatures;
    private final double floor;

    /**
     * @param reference real images whose features define "real" (the test split)
     * @param floor     Frechet distance between two real samples: the best a generator can hope for
     */
    public QualityMetrics(DigitClassifier classifier, float[][] referenceFeatures, double floor) {
        this.classifier = classifier;
        this.referenceFeatures = referenceFeatures;
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
        DigitClassifier.Outputs outputs = classifier.run(images, count, imageSize);
        float[][] p = outputs.probabilities();
        int classes = p[0].length;
        double[] marginal = new double[classes];
        int[] histogram = new int[classes];
        double confidence = 0;
        for (float[] row : p) {
            int best = DigitClassifier.argMax(row);
            histogram[best]++;
            confidence += row[best];
            for (int k = 0; k < classes; k++) {
                marginal[k] += row[k] / count;
            }
        }
        double meanKl = 0;
        for (float[] row : p) {
            for (int k = 0; k < classes; k++) {
                if (row[k] > 0) {
                    meanKl += row[k] * (Math.log(row[k]) - Math.log(marginal[k])) / count;
                }
            }
        }
        int modes = 0;
        for (int h : histogram) {
            modes += h >= QualityReport.MODE_SHARE * count ? 1 : 0;
        }
        Double labelAccuracy = null;
        double[] perDigit = null;
        if (intendedLabels != null) {
            int[] asked = new int[classes];
            int[] hit = new int[classes];
            int correct = 0;
            for (int i = 0; i < count; i++) {
                asked[intendedLabels[i]]++;
                if (DigitClassifier.argMax(p[i]) == intendedLabels[i]) {
                    hit[intendedLabels[i]]++;
                    correct++;
                }
            }
            labelAccuracy = correct / (double) count;
            perDigit = new double[classes];
            for (int k = 0; k < classes; k++) {
                perDigit[k] = asked[k] == 0 ? Double.NaN : hit[k] / (double) asked[k];
            }
        }
        return new QualityReport(count, Math.exp(meanKl), FrechetDistance.between(outputs.features(), referenceFeatures),
                floor, histogram, modes, labelAccuracy, perDigit, confidence / count, blankFraction(images, count, imageSize));
    }

    static double blankFraction(float[] images, int count, int imageSize) {
        int blank = 0;
        for (int n = 0; n < count; n++) {
            int ink = 0;
            for (int i = n * imageSize; i < (n + 1) * imageSize; i++) {
                ink += images[i] > 0.5f ? 1 : 0;
            }
            blank += ink < BLANK_INK * imageSize ? 1 : 0;
        }
        return blank / (double) count;
    }
}
