package dev.gan.eval;

import dev.gan.sample.ImageDraws;
import dev.gan.sample.Sampler;

import java.util.Arrays;

/**
 * Digits on request from a plain (unconditional) GAN: draw, classify, and keep the images a digit classifier
 * assigns to a wanted digit with at least a given confidence, until every wanted slot is filled. The same seed
 * keeps the same images. A digit the generator (almost) never draws ends the search after a bounded number of
 * draws ({@link TooRareException}), with nothing kept.
 */
public final class DigitSelection {

    /** The default confidence an image must reach to count as its digit. */
    public static final double DEFAULT_MIN_CONFIDENCE = 0.9;
    /** Draws per batch: the sampler's batch, so that a seed's stream of images is the one gan sample gives. */
    static final int BATCH = Sampler.BATCH;
    /** Draws allowed per image wanted, and at least this many in all, before a digit counts as too rare. */
    static final int DRAWS_PER_IMAGE = 100;
    static final int MIN_DRAWS = 10_000;

    private DigitSelection() {
    }

    /**
     * The kept images in slot order ({@code pixels}: one image per slot, slot i holding digit {@code slots[i]}),
     * the noise each came from, how many images were drawn and how many of them each digit took.
     */
    public record Kept(float[] pixels, float[][] noise, int[] slots, long drawn, long[] acceptedPerDigit) {

        /** The share of drawn images that were {@code digit} with enough confidence. */
        public double rate(int digit) {
            return drawn == 0 ? 0 : acceptedPerDigit[digit] / (double) drawn;
        }
    }

    /** A wanted digit too rare among the drawn images to fill its slots within the draw limit. */
    public static final class TooRareException extends Exception {
        private final int digit;
        private final long accepted;
        private final long drawn;

        TooRareException(int digit, long accepted, long drawn, int wanted, double minConfidence) {
            super(String.format(java.util.Locale.ROOT, "digit %d: only %d of %,d drawn images (%.2f%%) were %ds with "
                            + "confidence >= %.2f, %d wanted; the generator (almost) never draws it (stopped after %,d "
                            + "draws; a lower --min-confidence or a better-trained model may do)",
                    digit, accepted, drawn, 100.0 * accepted / drawn, digit, minConfidence, wanted, drawn));
            this.digit = digit;
            this.accepted = accepted;
            this.drawn = drawn;
        }

        public int digit() {
            return digit;
        }

        public double rate() {
            return accepted / (double) drawn;
        }
    }

    /** The draw limit for {@code wanted} images in all. */
    public static long drawLimit(int wanted) {
        return Math.max(MIN_DRAWS, (long) DRAWS_PER_IMAGE * wanted);
    }

    /**
     * Fills {@code slots} (the digit each output image must be) with images from {@code draws} (for a plain
     * model, {@link Sampler#draws}), in the order drawn; {@code classifier} judges each image.
     */
    public static Kept select(ImageDraws draws, DigitClassifier classifier, int[] slots, double minConfidence)
            throws TooRareException {
        int classes = classifier.numClasses();
        int size = draws.imageSize();
        if (classifier.imageSize() != size) {
            throw new IllegalArgumentException("the classifier takes " + classifier.imageSize()
                    + " pixels, the generator draws " + size);
        }
        // Slot queues per digit: slot indices in output order.
        int[][] slotsOf = new int[classes][];
        int[] wanted = new int[classes];
        for (int d : slots) {
            if (d < 0 || d >= classes) {
                throw new IllegalArgumentException("digit " + d + " outside 0.." + (classes - 1));
            }
            wanted[d]++;
        }
        for (int d = 0; d < classes; d++) {
            slotsOf[d] = new int[wanted[d]];
        }
        int[] filled = new int[classes];
        for (int i = 0; i < slots.length; i++) {
            slotsOf[slots[i]][filled[slots[i]]++] = i;
        }
        Arrays.fill(filled, 0);

        float[] pixels = new float[Math.multiplyExact(slots.length, size)];
        float[][] noise = new float[slots.length][];
        long[] accepted = new long[classes];
        long limit = drawLimit(slots.length);
        float[] batch = new float[BATCH * size];
        long drawn = 0;
        int remaining = slots.length;
        while (remaining > 0) {
            if (drawn >= limit) {
                int rarest = rarestUnfilled(wanted, filled, accepted);
                throw new TooRareException(rarest, accepted[rarest], drawn, wanted[rarest], minConfidence);
            }
            float[][] z = draws.next(BATCH, batch);
            drawn += BATCH;
            float[][] probabilities = classifier.run(batch, BATCH, size).probabilities();
            for (int i = 0; i < BATCH; i++) {
                int d = DigitClassifier.argMax(probabilities[i]);
                if (probabilities[i][d] < minConfidence) {
                    continue;
                }
                accepted[d]++;
                if (filled[d] < wanted[d]) {
                    int slot = slotsOf[d][filled[d]++];
                    System.arraycopy(batch, i * size, pixels, slot * size, size);
                    noise[slot] = z[i];
                    remaining--;
                }
            }
        }
        return new Kept(pixels, noise, slots.clone(), drawn, accepted);
    }

    /** Of the digits still short, the one with the lowest acceptance so far. */
    private static int rarestUnfilled(int[] wanted, int[] filled, long[] accepted) {
        int rarest = -1;
        for (int d = 0; d < wanted.length; d++) {
            if (filled[d] < wanted[d] && (rarest < 0 || accepted[d] < accepted[rarest])) {
                rarest = d;
            }
        }
        return rarest;
    }
}
