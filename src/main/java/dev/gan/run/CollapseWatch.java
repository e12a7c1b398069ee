package dev.gan.run;

import java.util.Locale;

/**
 * Watches a run for the two ways a GAN fails without diverging: the discriminator wins outright (D(G(z)) near 0
 * epoch after epoch, so G's updates carry nothing useful), and G draws one image whatever the noise. Neither
 * stops training (a GAN sometimes recovers); both are said once, and every epoch's verdict goes to metrics.csv.
 */
public final class CollapseWatch {

    /** D wins outright when the epoch's mean D(G(z)) stays below this... */
    public static final double D_WINS_BELOW = 0.001;
    /** ...for this many epochs in a row (a working run's D(G(z)) dips, but not for long). */
    public static final int D_WINS_EPOCHS = 3;
    /**
     * Samples are alike when the mean per-pixel standard deviation over the fixed noise's images is below this.
     * Measured: real MNIST digits 0.18 (train and test), a working cGAN after 3 epochs 0.13, the reference cGAN
     * that collapsed into one speckled blob 0.056.
     */
    public static final double ALIKE_BELOW = 0.06;
    /**
     * Alike samples count only after this many iterations: an untrained G draws one grey image for any noise, and a
     * run's first epochs on a few hundred images are not a collapse.
     */
    public static final long ALIKE_AFTER_ITERATIONS = 500;

    /** An epoch's verdict; its code is the metrics.csv {@code collapse} column. */
    public enum Verdict {
        NONE(0), D_WINS(1), SAMPLES_ALIKE(2);

        private final int code;

        Verdict(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public static Verdict ofCode(int code) {
            for (Verdict v : values()) {
                if (v.code == code) {
                    return v;
                }
            }
            return NONE;
        }
    }

    /** What to try, the same words wherever a collapse is reported. */
    public static final String ADVICE = "try another --seed, --recipe improved, --beta1 0.5, --label-smoothing 0.1 "
            + "or a lower --lr-d";

    private int dWinsEpochs;
    /** Epochs in a row with alike samples: a healthy cGAN's first epoch can be (spread 0.026, then 0.09). */
    private int alikeEpochs;

    private boolean reported;

    /** A watch for a new run. */
    public CollapseWatch() {
    }

    /** Picks up a resumed run: the D(G(z)) means of the epochs before it, oldest first. */
    public CollapseWatch(double[] earlierMeanDFake) {
        for (double d : earlierMeanDFake) {
            dWinsEpochs = d < D_WINS_BELOW ? dWinsEpochs + 1 : 0;
        }
    }

    /** True the first time it is asked after a collapse: a run says so once, not every epoch. */
    public boolean firstReport(Verdict verdict) {
        if (verdict == Verdict.NONE || reported) {
            return false;
        }
        reported = true;
        return true;
    }

    /**
     * The verdict of an epoch: its mean D(G(z)), the spread of the fixed noise's images after it, and the
     * iterations trained so far.
     */
    public Verdict afterEpoch(double meanDFake, double sampleSpread, long iterations) {
        dWinsEpochs = meanDFake < D_WINS_BELOW ? dWinsEpochs + 1 : 0;
        if (dWinsEpochs >= D_WINS_EPOCHS) {
            return Verdict.D_WINS;
        }
        alikeEpochs = sampleSpread < ALIKE_BELOW && iterations >= ALIKE_AFTER_ITERATIONS ? alikeEpochs + 1 : 0;
        return alikeEpochs >= D_WINS_EPOCHS ? Verdict.SAMPLES_ALIKE : Verdict.NONE;
    }

    /** One line saying what happened and what to try. */
    public static String describe(Verdict verdict, int epoch) {
        return switch (verdict) {
            case NONE -> "";
            case D_WINS -> String.format(Locale.ROOT, "the discriminator wins outright: D(G(z)) below %s for %d "
                    + "epochs in a row by epoch %d, so the generator has stopped learning (its samples are likely "
                    + "one blob); %s", D_WINS_BELOW, D_WINS_EPOCHS, epoch, ADVICE);
            case SAMPLES_ALIKE -> String.format(Locale.ROOT, "the generator has collapsed: its samples at epoch %d "
                    + "are nearly all alike (per-pixel spread below %s; real images about 0.18 for MNIST, 0.27 for "
                    + "Fashion-MNIST); %s", epoch,
                    ALIKE_BELOW, ADVICE);
        };
    }

    /** The mean over pixels of the standard deviation across {@code count} images: 0 when all are the same. */
    public static double spread(float[] pixels, int count, int imageSize) {
        if (count < 2) {
            return Double.POSITIVE_INFINITY;
        }
        double total = 0;
        for (int p = 0; p < imageSize; p++) {
            double sum = 0;
            double squares = 0;
            for (int i = 0; i < count; i++) {
                double v = pixels[i * imageSize + p];
                sum += v;
                squares += v * v;
            }
            double mean = sum / count;
            total += Math.sqrt(Math.max(0, squares / count - mean * mean));
        }
        return total / imageSize;
    }
}
