package dev.gan.nn;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** DiffAugment's translation and cutout: what they do to an image, and that backward is their transpose. */
class DiffAugmentTest {

    private static final int SIDE = 28;
    private static final int SIZE = SIDE * SIDE;
    private final KernelFixtures fixtures = new KernelFixtures(21);

    /** Images with a 6x6 square of ones in the middle. */
    private static float[] squares(int count) {
        float[] images = new float[count * SIZE];
        for (int i = 0; i < count; i++) {
            for (int y = 11; y < 17; y++) {
                for (int x = 11; x < 17; x++) {
                    images[i * SIZE + y * SIDE + x] = 1;
                }
            }
        }
        return images;
    }

    /** The row and column of an image's first one, scanning rows. */
    private static int[] corner(float[] images, int image) {
        for (int p = 0; p < SIZE; p++) {
            if (images[image * SIZE + p] == 1) {
                return new int[] {p / SIDE, p % SIDE};
            }
        }
        return null;
    }

    private static double sum(float[] images, int image) {
        double s = 0;
        for (int p = 0; p < SIZE; p++) {
            s += images[image * SIZE + p];
        }
        return s;
    }

    @Test
    void translationShiftsEachImageByItsOwnAmountOfAtMostAnEighth() {
        int count = 64;
        float[] images = squares(count);
        new DiffAugment(true, false, SIDE, SIDE, count).apply(images, count, 1);

        java.util.Set<String> shifts = new java.util.HashSet<>();
        for (int i = 0; i < count; i++) {
            int[] at = corner(images, i);
            assertThat(sum(images, i)).as("image %d keeps its square whole", i).isEqualTo(36);
            assertThat(Math.abs(at[0] - 11)).isLessThanOrEqualTo(4);
            assertThat(Math.abs(at[1] - 11)).isLessThanOrEqualTo(4);
            shifts.add(at[0] + "," + at[1]);
        }
        assertThat(shifts.size()).as("distinct shifts among 64 images").isGreaterThan(20);
    }

    @Test
    void cutoutBlanksOneSquareOfHalfTheSideAndNothingElse() {
        int count = 32;
        float[] ones = new float[count * SIZE];
        java.util.Arrays.fill(ones, 1f);
        new DiffAugment(false, true, SIDE, SIDE, count).apply(ones, count, 2);

        for (int i = 0; i < count; i++) {
            int top = SIDE, bottom = -1, left = SIDE, right = -1, blank = 0;
            for (int p = 0; p < SIZE; p++) {
                if (ones[i * SIZE + p] == 0) {
                    blank++;
                    top = Math.min(top, p / SIDE);
                    bottom = Math.max(bottom, p / SIDE);
                    left = Math.min(left, p % SIDE);
                    right = Math.max(right, p % SIDE);
                }
            }
            int height = bottom - top + 1, width = right - left + 1;
            assertThat(blank).as("image %d: the blank pixels fill their bounding box", i).isEqualTo(height * width);
            assertThat(height).isBetween(7, 14);
            assertThat(width).isBetween(7, 14);
            // Cut off only at an edge.
            assertThat(height == 14 || top == 0 || bottom == SIDE - 1).isTrue();
            assertThat(width == 14 || left == 0 || right == SIDE - 1).isTrue();
        }
    }

    @Test
    void backwardIsTheTransposeOfTheTransform() {
        // The transform is linear, A x; backward must compute A^T y: <A x, y> = <x, A^T y> for any x and y.
        int count = 5;
        DiffAugment augment = new DiffAugment(true, true, SIDE, SIDE, count);
        float[] x = fixtures.randoms(count * SIZE);
        float[] y = fixtures.randoms(count * SIZE);
        float[] ax = x.clone();
        augment.apply(ax, count, 3);
        float[] aty = y.clone();
        augment.backward(aty, count);

        double left = 0, right = 0;
        for (int i = 0; i < x.length; i++) {
            left += (double) ax[i] * y[i];
            right += (double) x[i] * aty[i];
        }
        assertThat(right).isCloseTo(left, within(1e-3));
        assertThat(left).isNotCloseTo(0, within(1.0)); // the check is not vacuous
    }

    @Test
    void theSameSeedDrawsTheSameTransformsAndAnotherDoesNot() {
        float[] first = squares(8);
        float[] second = squares(8);
        float[] third = squares(8);
        DiffAugment augment = new DiffAugment(true, true, SIDE, SIDE, 8);
        augment.apply(first, 8, 9);
        augment.apply(second, 8, 9);
        augment.apply(third, 8, 10);

        assertThat(second).containsExactly(first);
        assertThat(third).isNotEqualTo(first);
    }
}
