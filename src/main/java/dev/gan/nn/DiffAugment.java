package dev.gan.nn;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * DiffAugment's translation and cutout (Zhao et al. 2020, their defaults) on a batch of one-channel images, each
 * image drawn its own transform, and the transpose of that transform for the gradient. Both are linear in the
 * pixels (a shift with zero fill, a mask), so G learns through them: D only ever sees augmented images, real and
 * fake alike, and cannot learn the augmentation as a feature of either.
 *
 * <p>Translation moves an image by up to an eighth of its size (rounded: 4 pixels of 28) in each direction, with
 * zeros (black) shifted in; cutout blanks a square of half its size (14 pixels of 28) centred anywhere on it,
 * cut off at the edges.
 */
public final class DiffAugment {

    private final boolean translation;
    private final boolean cutout;
    private final int height;
    private final int width;
    private final int shiftY;
    private final int shiftX;
    private final int cutHeight;
    private final int cutWidth;
    // The last batch's draws, for backward.
    private final int[] ty;
    private final int[] tx;
    private final int[] cy;
    private final int[] cx;
    private final float[] image;
    private int lastCount;

    public DiffAugment(boolean translation, boolean cutout, int height, int width, int maxImages) {
        this.translation = translation;
        this.cutout = cutout;
        this.height = height;
        this.width = width;
        shiftY = (int) (height * 0.125 + 0.5);
        shiftX = (int) (width * 0.125 + 0.5);
        cutHeight = (int) (height * 0.5 + 0.5);
        cutWidth = (int) (width * 0.5 + 0.5);
        ty = new int[maxImages];
        tx = new int[maxImages];
        cy = new int[maxImages];
        cx = new int[maxImages];
        image = new float[height * width];
    }

    /** Draws a transform for each of the first {@code count} images from {@code seed} and applies it in place. */
    public void apply(float[] images, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int size = height * width;
        for (int i = 0; i < count; i++) {
            ty[i] = translation ? random.nextInt(-shiftY, shiftY + 1) : 0;
            tx[i] = translation ? random.nextInt(-shiftX, shiftX + 1) : 0;
            // Centres as DiffAugment draws them: the square may hang over any edge by up to half its size.
            cy[i] = cutout ? random.nextInt(0, height + 1 - cutHeight % 2) : -height;
            cx[i] = cutout ? random.nextInt(0, width + 1 - cutWidth % 2) : -width;
            int at = i * size;
            int top = cy[i] - cutHeight / 2;
            int left = cx[i] - cutWidth / 2;
            System.arraycopy(images, at, image, 0, size);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    images[at + y * width + x] = kept(top, left, y, x) ? source(image, y + ty[i], x + tx[i]) : 0f;
                }
            }
        }
        lastCount = count;
    }

    /**
     * The gradient with respect to the images {@link #apply} was given, in place, from the gradient with respect
     * to what it made of them (the last batch's draws).
     */
    public void backward(float[] delta, int count) {
        if (count != lastCount) {
            throw new IllegalStateException("backward over " + count + " images after augmenting " + lastCount);
        }
        int size = height * width;
        for (int i = 0; i < count; i++) {
            int at = i * size;
            int top = cy[i] - cutHeight / 2;
            int left = cx[i] - cutWidth / 2;
            System.arraycopy(delta, at, image, 0, size);
            Arrays.fill(delta, at, at + size, 0f);
            for (int y = 0; y < height; y++) {
                int sy = y + ty[i];
                if (sy < 0 || sy >= height) {
                    continue;
                }
                for (int x = 0; x < width; x++) {
                    int sx = x + tx[i];
                    if (sx >= 0 && sx < width && kept(top, left, y, x)) {
                        delta[at + sy * width + sx] += image[y * width + x];
                    }
                }
            }
        }
    }

    /** Whether output pixel (y, x) lies outside the cutout square whose corner is (top, left). */
    private boolean kept(int top, int left, int y, int x) {
        return y < top || y >= top + cutHeight || x < left || x >= left + cutWidth;
    }

    private float source(float[] from, int y, int x) {
        return y < 0 || y >= height || x < 0 || x >= width ? 0f : from[y * width + x];
    }
}
