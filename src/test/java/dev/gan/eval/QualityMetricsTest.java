package dev.gan.eval;

import dev.gan.TestData;
import dev.gan.data.ImageDataset;
import dev.gan.data.Split;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metrics must order real digits above noise and blank frames. A classifier trained briefly on 3,000
 * test digits is enough to show the orderings; the numbers themselves are not fixed.
 */
class QualityMetricsTest {

    private static final int SIZE = 784;
    private static ImageDataset test;
    private static QualityMetrics metrics;
    private static DigitClassifier classifier;

    @BeforeAll
    static void trainSmallClassifier() throws Exception {
        test = ImageDataset.load(TestData.mnistDir(), Split.TEST, 0);
        classifier = DigitClassifier.create(28, 28, 10, 1);
        classifier.train(test, 3000, 2, 64, 1, epoch -> { });
        float[] realA = Arrays.copyOfRange(test.pixels(), 5000 * SIZE, 7000 * SIZE);
        float[] realB = Arrays.copyOfRange(test.pixels(), 7000 * SIZE, 10000 * SIZE);
        metrics = QualityMetrics.withReference(classifier, realA, 2000, realB, 3000, SIZE);
    }

    private static float[] real(int from, int count) {
        return Arrays.copyOfRange(test.pixels(), from * SIZE, (from + count) * SIZE);
    }

    private static int[] labels(int from, int count) {
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = test.label(from + i);
        }
        return labels;
    }

    @Test
    void realDigitsScoreNearTheMaximumAtNearlyTheFloorDistance() {
        QualityReport real = metrics.evaluate(real(3000, 2000), 2000, SIZE, labels(3000, 2000));

        assertThat(real.classifierScore()).isGreaterThan(7.0).isLessThanOrEqualTo(10.0); // ~9.7 with the full classifier
        assertThat(real.frechetDistance()).isLessThan(3 * real.frechetFloor() + 1e-9);
        assertThat(real.modesCovered()).isEqualTo(10);
        assertThat(real.labelAccuracy()).isGreaterThan(0.9);
        assertThat(real.blankFraction()).isZero();
    }

    @Test
    void noiseAndBlankImagesScoreFarWorseThanRealDigits() {
        QualityReport real = metrics.evaluate(real(3000, 1000), 1000, SIZE, null);
        Random random = new Random(4);
        float[] noise = new float[1000 * SIZE];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = random.nextFloat();
        }
        QualityReport noisy = metrics.evaluate(noise, 1000, SIZE, null);
        QualityReport blank = metrics.evaluate(new float[1000 * SIZE], 1000, SIZE, null);

        for (QualityReport bad : new QualityReport[] {noisy, blank}) {
            assertThat(bad.classifierScore()).isLessThan(real.classifierScore() / 2);
            assertThat(bad.frechetDistance()).isGreaterThan(10 * real.frechetDistance());
            assertThat(bad.modesCovered()).isLessThan(real.modesCovered());
            assertThat(bad.labelAccuracy()).isNull();
        }
        assertThat(blank.blankFraction()).isEqualTo(1.0);
        assertThat(noisy.blankFraction()).isZero();
    }

    @Test
    void askingForTheWrongDigitsGivesLowLabelAccuracy() {
        int[] wrong = labels(3000, 1000);
        for (int i = 0; i < wrong.length; i++) {
            wrong[i] = (wrong[i] + 1) % 10;
        }

        QualityReport report = metrics.evaluate(real(3000, 1000), 1000, SIZE, wrong);

        assertThat(report.labelAccuracy()).isLessThan(0.1);
        assertThat(report.labelAccuracyPerDigit()).hasSize(10);
    }

    /**
     * The distance shrinks as more images are compared, so a floor measured at another size than the samples
     * misleads: the floor is taken at the samples' size, from real images outside the reference.
     */
    @Test
    void theFloorIsMeasuredAtTheSizeOfTheSampleSet() {
        QualityReport holdoutItself = metrics.evaluate(real(5000, 500), 500, SIZE, null);
        QualityReport many = metrics.evaluate(real(0, 3000), 3000, SIZE, null);

        assertThat(holdoutItself.frechetSamples()).isEqualTo(500);
        assertThat(holdoutItself.frechetReference()).isEqualTo(3000);
        assertThat(holdoutItself.frechetDistance()).as("the floor's own images are the floor")
                .isCloseTo(holdoutItself.frechetFloor(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(many.frechetSamples()).as("at most the hold-out's 2,000").isEqualTo(2000);
        assertThat(holdoutItself.frechetFloor()).as("a smaller set sits further from the reference")
                .isGreaterThan(many.frechetFloor());
    }

    /** Images blurred {@code passes} times with a 3x3 box filter. */
    private static float[] blurred(float[] images, int count, int passes) {
        float[] out = images.clone();
        for (int pass = 0; pass < passes; pass++) {
            float[] in = out.clone();
            for (int n = 0; n < count; n++) {
                for (int r = 0; r < 28; r++) {
                    for (int c = 0; c < 28; c++) {
                        float sum = 0;
                        int cells = 0;
                        for (int dr = -1; dr <= 1; dr++) {
                            for (int dc = -1; dc <= 1; dc++) {
                                int rr = r + dr, cc = c + dc;
                                if (rr >= 0 && rr < 28 && cc >= 0 && cc < 28) {
                                    sum += in[n * SIZE + rr * 28 + cc];
                                    cells++;
                                }
                            }
                        }
                        out[n * SIZE + r * 28 + c] = sum / cells;
                    }
                }
            }
        }
        return out;
    }

    @Test
    void realDigitsBeatSlightBlurWhichBeatsStrongBlurAndNoise() {
        float[] real = real(5000, 2000); // the hold-out's population: the floor's own images
        java.util.Random random = new java.util.Random(3);
        float[] noisy = real.clone();
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] = (float) Math.max(0, Math.min(1, noisy[i] + 0.3 * random.nextGaussian()));
        }

        double exact = metrics.evaluate(real, 2000, SIZE, null).frechetDistance();
        double slight = metrics.evaluate(blurred(real, 2000, 1), 2000, SIZE, null).frechetDistance();
        double strong = metrics.evaluate(blurred(real, 2000, 4), 2000, SIZE, null).frechetDistance();
        double withNoise = metrics.evaluate(noisy, 2000, SIZE, null).frechetDistance();

        assertThat(exact).isLessThan(slight);
        assertThat(slight).isLessThan(strong);
        assertThat(exact).isLessThan(withNoise);
    }

    @Test
    void aSetWithOnlyFiveOfTheTenDigitsLosesRecallNotPrecision() {
        float[] all = real(5000, 2000);
        int[] digits = labels(5000, 2000);
        int low = 0;
        float[] fiveDigits = new float[all.length];
        for (int i = 0; i < 2000; i++) {
            if (digits[i] < 5) {
                System.arraycopy(all, i * SIZE, fiveDigits, low++ * SIZE, SIZE);
            }
        }
        float[] firstOfAll = Arrays.copyOf(all, low * SIZE);

        QualityReport complete = metrics.evaluate(firstOfAll, low, SIZE, null);
        QualityReport half = metrics.evaluate(Arrays.copyOf(fiveDigits, low * SIZE), low, SIZE, null);

        assertThat(half.recall()).isLessThan(0.85 * complete.recall()); // measured 0.61 against 0.77
        assertThat(half.precision()).isGreaterThan(0.9 * complete.precision());
    }

    @Test
    void trainingImagesPassedOffAsSamplesAreFlaggedAsMemorisedAndOtherRealImagesAreNot() {
        float[] pixels = real(0, 3000);
        byte[] bytes = new byte[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            bytes[i] = (byte) Math.round(pixels[i] * 255);
        }
        QualityMetrics.TrainingImages training = new QualityMetrics.TrainingImages(bytes, 3000, SIZE);

        QualityReport copies = metrics.evaluate(real(0, 1000), 1000, SIZE, null, training);
        QualityReport unseen = metrics.evaluate(real(5000, 1000), 1000, SIZE, null, training);
        QualityReport unchecked = metrics.evaluate(real(5000, 1000), 1000, SIZE, null);

        assertThat(copies.memorisedShare()).isGreaterThan(0.99);
        assertThat(unseen.memorisedShare()).isLessThan(0.1);
        assertThat(unchecked.memorisedShare()).isNull();
    }

    @Test
    void aCachedMemorisationThresholdGivesTheShareComputedAfresh(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        float[] pixels = real(0, 3000);
        byte[] bytes = new byte[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            bytes[i] = (byte) Math.round(pixels[i] * 255);
        }
        QualityMetrics.TrainingImages training = new QualityMetrics.TrainingImages(bytes, 3000, SIZE);
        ReferenceCache.Reference reference = QualityMetrics.reference(classifier, real(5000, 2000), 2000,
                real(7000, 3000), 3000, SIZE);
        QualityMetrics cached = new QualityMetrics(classifier, reference.features(), reference.holdout(),
                new ReferenceCache(tmp));
        // Samples half copies, half unseen: a share away from 0 and 1, which a wrong threshold would move.
        float[] samples = Arrays.copyOf(real(0, 500), 1000 * SIZE);
        System.arraycopy(real(5000, 500), 0, samples, 500 * SIZE, 500 * SIZE);

        double fresh = metrics.evaluate(samples, 1000, SIZE, null, training).memorisedShare();
        double stored = cached.evaluate(samples, 1000, SIZE, null, training).memorisedShare();
        double read = cached.evaluate(samples, 1000, SIZE, null, training).memorisedShare();

        assertThat(fresh).isBetween(0.4, 0.6);
        assertThat(stored).isEqualTo(fresh);
        assertThat(read).isEqualTo(fresh);
        assertThat(tmp.toFile().list()).anyMatch(name -> name.startsWith("memorisation-"));
    }

    @Test
    void aCachedReferenceJudgesAsTheReferenceComputedAfresh(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws java.io.IOException {
        ReferenceCache cache = new ReferenceCache(tmp);
        java.nio.file.Path images = java.nio.file.Files.writeString(tmp.resolve("images"), "test digits 5000-9999");
        ReferenceCache.Reference fresh = QualityMetrics.reference(classifier, real(5000, 2000), 2000,
                real(7000, 3000), 3000, SIZE);
        ReferenceCache.Reference stored = cache.get(classifier, java.util.List.of(images), "recipe", () -> fresh);
        ReferenceCache.Reference read = cache.get(classifier, java.util.List.of(images), "recipe", () -> {
            throw new AssertionError("computed again");
        });
        // 1000 samples: a floor at another size than the one kept, computed as before.
        float[] samples = real(3000, 2000);

        for (int n : new int[] {2000, 1000}) {
            QualityReport expected = metrics.evaluate(samples, n, SIZE, null);
            QualityReport fromCache = new QualityMetrics(classifier, read, cache).evaluate(samples, n, SIZE, null);
            assertThat(fromCache).usingRecursiveComparison().isEqualTo(expected);
        }
        assertThat(read.manifoldRadii()).hasSize(QualityMetrics.MANIFOLD_IMAGES > 3000 ? 3000
                : QualityMetrics.MANIFOLD_IMAGES).containsExactly(stored.manifoldRadii());
        assertThat(read.floor()).isEqualTo(stored.floor()).isEqualTo(metrics.floor(2000));
    }
}
