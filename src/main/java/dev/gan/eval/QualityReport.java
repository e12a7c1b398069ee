package dev.gan.eval;

/**
 * What a digit classifier says about a set of images. {@code labelAccuracy} and {@code labelAccuracyPerDigit}
 * are null when the images carry no intended labels (a plain GAN); a digit no image was meant to be has a null
 * accuracy (fewer samples than digits). The Frechet distance compares the first
 * {@code frechetSamples} images with {@code frechetReference} real test images; {@code frechetFloor} compares as
 * many other real images with the same reference, so the two are measured alike. {@code precision} and
 * {@code recall} (Kynkaanniemi et al., 2019) are the share of samples inside the real images' k-nearest-neighbour
 * manifold in feature space (fidelity) and the share of real images inside the samples' (coverage); null for
 * fewer than {@link #MANIFOLD_K} + 1 images. {@code memorisedShare} is the share of samples nearer (in pixels) to
 * a training image than 99% of training images are to each other; null when no training images were given.
 * {@code sampleSpread} is the mean per-pixel standard deviation over the first {@link #SPREAD_SAMPLES} images (real
 * digits about 0.18; below {@code CollapseWatch.ALIKE_BELOW} the images are nearly all alike); null for one image.
 */
public record QualityReport(
        int count,
        double classifierScore,
        double frechetDistance,
        double frechetFloor,
        int frechetSamples,
        int frechetReference,
        int[] classHistogram,
        int modesCovered,
        Double labelAccuracy,
        Double[] labelAccuracyPerDigit,
        double meanConfidence,
        double blankFraction,
        Double precision,
        Double recall,
        Double memorisedShare,
        Double sampleSpread) {

    /** Images whose per-pixel spread tells whether a generator draws nearly one image. */
    public static final int SPREAD_SAMPLES = 100;

    /** A class counts as covered when it holds at least this share of the samples. */
    public static final double MODE_SHARE = 0.05;
    /** Neighbours that define the k-NN manifolds of precision and recall (the paper's default). */
    public static final int MANIFOLD_K = 3;
}
