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

    @BeforeAll
    static void trainSmallClassifier() throws Exception {
        test = ImageDataset.load(TestData.mnistDir(), Split.TEST, 0);
        DigitClassifier classifier = DigitClassifier.create(28, 28, 10, 1);
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
}
