package dev.gan.eval;

/**
 * What a digit classifier says about a set of images. {@code labelAccuracy} and {@code labelAccuracyPerDigit}
 * are null when the images carry no intended labels (a plain GAN).
 */
public record QualityReport(
        int count,
        double classifierScore,
        double frechetDistance,
        double frechetFloor,
        int[] classHistogram,
        int modesCovered,
        Double labelAccuracy,
        double[] labelAccuracyPerDigit,
        double meanConfidence,
        double blankFraction) {

    /** A class counts as covered when it holds at least this share of the samples. */
    public static final double MODE_SHARE = 0.05;
}
