package dev.gan.train;

import java.util.SplittableRandom;

/**
 * Derives independent seeds from the run seed, one per random stream and epoch, so that every epoch's
 * randomness depends only on (seed, stream, epoch): a run resumed at an epoch boundary draws exactly what the
 * uninterrupted run drew.
 */
public final class Seeds {

    public static final int GENERATOR_INIT = 1;
    public static final int DISCRIMINATOR_INIT = 2;
    public static final int SHUFFLE = 3;
    public static final int NOISE = 4;
    public static final int LABELS = 5;
    public static final int FIXED_SAMPLES = 6;
    public static final int DROPOUT = 7;
    public static final int SPECTRAL_NORM = 8;

    private Seeds() {
    }

    public static long derive(long seed, int stream, long epoch) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + stream * 0xBF58476D1CE4E5B9L + epoch).nextLong();
    }
}
