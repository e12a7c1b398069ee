package dev.gan.nn;

import java.util.Arrays;

/**
 * The im2col matrix of a {@link ConvGeometry} and its adjoint, col2im, over a zero-padded copy of the input
 * held here: with the padding in memory no tap needs a bounds check, and a kernel row's taps over NHWC
 * channels are one contiguous run of {@code kernel * channels} floats in both the padded input and the matrix.
 * Gather and scatter have a padded buffer each, so gather's borders stay zero from allocation.
 */
final class Patches {

    /** Runs at least this long are copied with System.arraycopy; shorter ones by a loop (call overhead). */
    private static final int COPY_RUN = 16;

    private final ConvGeometry g;
    private final int paddedH;
    private final int paddedW;
    /** gather's padded input: borders zero from allocation, only the interior is ever written. */
    private final float[] padded;
    /** scatter's padded sums, zeroed before each use. */
    private final float[] sums;

    Patches(ConvGeometry geometry, int maxBatch) {
        this.g = geometry;
        this.paddedH = Math.max(geometry.paddedH(), geometry.inH() + geometry.pad());
        this.paddedW = Math.max(geometry.paddedW(), geometry.inW() + geometry.pad());
        this.padded = new float[Math.multiplyExact(maxBatch, paddedH * paddedW * geometry.channels())];
        this.sums = new float[padded.length];
    }

    /** The im2col matrix of {@code n} NHWC images: {@code col} gets {@code rows(n) x patch()} floats. */
    void gather(float[] input, int n, float[] col) {
        int c = g.channels();
        int line = g.inW() * c;
        for (int b = 0; b < n; b++) {
            for (int ih = 0; ih < g.inH(); ih++) {
                System.arraycopy(input, (b * g.inH() + ih) * line, padded, paddedAt(b, ih + g.pad(), g.pad()), line);
            }
        }
        int run = g.kernel() * c;
        int to = 0;
        for (int b = 0; b < n; b++) {
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    for (int kh = 0; kh < g.kernel(); kh++, to += run) {
                        int from = paddedAt(b, oh * g.stride() + kh, ow * g.stride());
                        if (run >= COPY_RUN) {
                            System.arraycopy(padded, from, col, to, run);
                        } else {
                            for (int t = 0; t < run; t++) {
                                col[to + t] = padded[from + t];
                            }
                        }
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #gather}: {@code output} (n NHWC input-shaped images) = sum of each tap's column. */
    void scatter(float[] col, int n, float[] output) {
        int c = g.channels();
        Arrays.fill(sums, 0, n * paddedH * paddedW * c, 0f);
        int run = g.kernel() * c;
        int from = 0;
        for (int b = 0; b < n; b++) {
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    for (int kh = 0; kh < g.kernel(); kh++, from += run) {
                        int to = paddedAt(b, oh * g.stride() + kh, ow * g.stride());
                        for (int t = 0; t < run; t++) {
                            sums[to + t] += col[from + t];
                        }
                    }
                }
            }
        }
        int line = g.inW() * c;
        for (int b = 0; b < n; b++) {
            for (int ih = 0; ih < g.inH(); ih++) {
                System.arraycopy(sums, paddedAt(b, ih + g.pad(), g.pad()), output, (b * g.inH() + ih) * line, line);
            }
        }
    }

    private int paddedAt(int b, int row, int column) {
        return ((b * paddedH + row) * paddedW + column) * g.channels();
    }
}
