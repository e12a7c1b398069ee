package dev.gan.eval;

import dev.gan.TestData;
import dev.gan.data.ImageDataset;
import dev.gan.data.Split;
import dev.gan.sample.ImageDraws;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Picking one digit out of an unconditional stream of images with a digit classifier. The stream here replays
 * real test digits that neither classifier trained on, so that what was kept can be checked against the truth
 * and against a second classifier, trained on other images with another seed (an independent reader).
 */
class DigitSelectionTest {

    private static ImageDataset digits;
    private static DigitClassifier picker;
    private static DigitClassifier reader;

    @BeforeAll
    static void trainTwoClassifiers() throws Exception {
        digits = ImageDataset.load(TestData.mnistDir(), Split.TEST, 0);
        picker = train(0, 3000, 1);
        reader = train(3000, 6000, 2);
    }

    private static DigitClassifier train(int from, int to, long seed) {
        int size = digits.imageSize();
        ImageDataset part = new ImageDataset(to - from, digits.rows(), digits.cols(), digits.numClasses(),
                Arrays.copyOfRange(digits.pixels(), from * size, to * size), Arrays.copyOfRange(digits.labels(), from, to));
        DigitClassifier classifier = DigitClassifier.create(digits.rows(), digits.cols(), digits.numClasses(), seed);
        classifier.train(part, part.count(), 2, 64, seed, epoch -> { });
        return classifier;
    }

    /** Images 6000.. of the test set, over and over, skipping the digits in {@code absent}; noise = the index. */
    private static ImageDraws replay(int... absent) {
        return new ImageDraws() {
            private int next = 6000;

            @Override
            public int imageSize() {
                return digits.imageSize();
            }

            @Override
            public float[][] next(int n, float[] pixels) {
                float[][] noise = new float[n][];
                for (int i = 0; i < n; i++) {
                    do {
                        next = next + 1 < digits.count() ? next + 1 : 6000;
                    } while (contains(absent, digits.label(next)));
                    System.arraycopy(digits.pixels(), next * imageSize(), pixels, i * imageSize(), imageSize());
                    noise[i] = new float[] {next};
                }
                return noise;
            }
        };
    }

    private static boolean contains(int[] values, int value) {
        return Arrays.stream(values).anyMatch(v -> v == value);
    }

    @Test
    void keptSevensAreSevensToAnIndependentReader() throws Exception {
        int[] slots = new int[60];
        Arrays.fill(slots, 7);
        DigitSelection.Kept kept = DigitSelection.select(replay(), picker, slots, 0.9);

        assertThat(kept.pixels()).hasSize(60 * digits.imageSize());
        float[][] byReader = reader.run(kept.pixels(), 60, digits.imageSize()).probabilities();
        int readerSays7 = 0;
        int really7 = 0;
        for (int i = 0; i < 60; i++) {
            readerSays7 += DigitClassifier.argMax(byReader[i]) == 7 ? 1 : 0;
            really7 += digits.label((int) kept.noise()[i][0]) == 7 ? 1 : 0;
        }
        assertThat(readerSays7).as("kept images the second classifier reads as 7").isGreaterThanOrEqualTo(57);
        assertThat(really7).as("kept images labelled 7 in MNIST").isGreaterThanOrEqualTo(57);
        // About a tenth of the test digits are 7s; the rate counts the confident ones among all drawn.
        assertThat(kept.rate(7)).isBetween(0.05, 0.12);
        assertThat(kept.drawn()).isEqualTo(DigitSelection.BATCH);
    }

    @Test
    void slotsAreFilledInOrderWithTheirOwnDigit() throws Exception {
        int[] slots = {3, 3, 0, 0, 9, 9};
        DigitSelection.Kept kept = DigitSelection.select(replay(), picker, slots, 0.9);
        float[][] probabilities = picker.run(kept.pixels(), slots.length, digits.imageSize()).probabilities();
        for (int i = 0; i < slots.length; i++) {
            assertThat(DigitClassifier.argMax(probabilities[i])).as("slot %d", i).isEqualTo(slots[i]);
            assertThat(probabilities[i][slots[i]]).isGreaterThanOrEqualTo(0.9f);
        }
        assertThat(kept.noise()[0][0]).as("the first 3 drawn fills the first 3 slot").isLessThan(kept.noise()[1][0]);
    }

    @Test
    void theSameStreamKeepsTheSameImages() throws Exception {
        int[] slots = {1, 4, 1, 4};
        DigitSelection.Kept a = DigitSelection.select(replay(), picker, slots, 0.95);
        DigitSelection.Kept b = DigitSelection.select(replay(), picker, slots, 0.95);
        assertThat(a.pixels()).isEqualTo(b.pixels());
    }

    @Test
    void aDigitTheStreamNeverHoldsEndsAfterTheDrawLimitNamingItAndItsRate() {
        // A stream of 1s only: even a classifier that errs now and then does not take a 1 for a 4 with confidence.
        int[] slots = {1, 4, 4};
        assertThatThrownBy(() -> DigitSelection.select(replay(0, 2, 3, 4, 5, 6, 7, 8, 9), picker, slots, 0.9))
                .isInstanceOf(DigitSelection.TooRareException.class)
                .hasMessageContaining("digit 4")
                .hasMessageContaining("of 10,000 drawn images")
                .satisfies(e -> assertThat(((DigitSelection.TooRareException) e).digit()).isEqualTo(4))
                .satisfies(e -> assertThat(((DigitSelection.TooRareException) e).rate()).isLessThan(0.01));
    }
}
