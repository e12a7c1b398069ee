package dev.gan.nn;

import dev.gan.util.Sgemm;
import org.bytedeco.javacpp.FloatPointer;

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
    /**
     * Floats of one block of {@link #scatterProduct}'s matrix: small enough to stay in a core's L2 cache between
     * the multiply that writes it and the sums that read it.
     */
    static final int BLOCK_FLOATS = Integer.getInteger("gan.blockFloats", 1 << 16);

    private final ConvGeometry g;
    private final int paddedH;
    private final int paddedW;
    /** gather's padded input: borders zero from allocation, only the interior is ever written. */
    private final float[] padded;
    /** scatter's padded sums, zeroed before each use. */
    private final float[] sums;
    private final float[] runBuffer;
    /** Images per block of {@link #scatterProduct}, and the block's matrix (native; Java too for short runs). */
    private final int blockImages;
    private final NativeFloats block;
    private final float[] javaBlock;

    Patches(ConvGeometry geometry, int maxBatch) {
        this.g = geometry;
        this.paddedH = Math.max(geometry.paddedH(), geometry.inH() + geometry.pad());
        this.paddedW = Math.max(geometry.paddedW(), geometry.inW() + geometry.pad());
        this.padded = new float[Math.multiplyExact(maxBatch, paddedH * paddedW * geometry.channels())];
        this.sums = new float[padded.length];
        this.runBuffer = new float[geometry.kernel() * geometry.channels()];
        this.blockImages = Math.max(1, Math.min(maxBatch, BLOCK_FLOATS / (geometry.rows(1) * geometry.patch())));
        this.block = new NativeFloats((long) geometry.rows(blockImages) * geometry.patch());
        this.javaBlock = longRuns() ? null : new float[geometry.rows(blockImages) * geometry.patch()];
    }

    /** The im2col matrix of {@code n} NHWC images: {@code col} gets {@code rows(n) x patch()} floats. */
    void gather(float[] input, int n, float[] col) {
        pad(input, n);
        int run = g.kernel() * g.channels();
        int perImage = g.rows(1) * g.patch();
        Split.byRows(n, perImage, (first, last) -> {
            int to = first * perImage;
            for (int b = first; b < last; b++) {
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
        });
    }

    /** Whether the native variants pay: a kernel row's run is long enough for a copy call per run. */
    boolean longRuns() {
        return g.kernel() * g.channels() >= COPY_RUN;
    }

    /** As {@link #gather(float[], int, float[])}, written straight into native memory (see {@link NativeCopy}). */
    void gather(float[] input, int n, NativeFloats col) {
        col.require((long) g.rows(n) * g.patch());
        pad(input, n);
        int run = g.kernel() * g.channels();
        long to = col.address();
        long step = (long) run * Float.BYTES;
        for (int b = 0; b < n; b++) {
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    for (int kh = 0; kh < g.kernel(); kh++, to += step) {
                        NativeCopy.toNative(padded, paddedAt(b, oh * g.stride() + kh, ow * g.stride()), to, run);
                    }
                }
            }
        }
    }

    /** As {@link #scatter(float[], int, float[])}, reading the matrix straight from native memory. */
    void scatter(NativeFloats col, int n, float[] output) {
        col.require((long) g.rows(n) * g.patch());
        clearSums(n);
        addRows(col, 0, n);
        unpad(n, output);
    }

    /**
     * {@code output} (n input-shaped NHWC images) = col2im(A B), A the {@code rows(n) x k} row-major matrix at
     * {@code a} and B the {@code k x patch()} one at {@code b}: the input gradient of a convolution (A its output
     * delta, B its weights) or a transposed convolution's forward pass. The product is made a few images at a
     * time, each block summed while still in cache: the whole matrix (20 MB for D's second convolution) went
     * out to memory and back.
     */
    void scatterProduct(FloatPointer a, int k, FloatPointer b, int n, float[] output) {
        clearSums(n);
        int patch = g.patch();
        for (int first = 0; first < n; first += blockImages) {
            int count = Math.min(blockImages, n - first);
            int rows = g.rows(count);
            FloatPointer rowsOfA = Sgemm.floats(a.address() + (long) g.rows(first) * k * Float.BYTES, (long) rows * k);
            Sgemm.multiply(false, false, rows, patch, k, 1f, rowsOfA, k, b, patch, 0f, block.pointer(), patch);
            if (javaBlock == null) {
                addRows(block, first, count);
            } else {
                block.store(javaBlock, rows * patch);
                addRows(javaBlock, first, count);
            }
        }
        unpad(n, output);
    }

    /** Adds the matrix rows of images [first, first + count), held in {@code rows}, into {@link #sums}. */
    private void addRows(NativeFloats rows, int first, int count) {
        int run = g.kernel() * g.channels();
        long from = rows.address();
        long step = (long) run * Float.BYTES;
        for (int b = first; b < first + count; b++) {
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    for (int kh = 0; kh < g.kernel(); kh++, from += step) {
                        NativeCopy.fromNative(from, runBuffer, 0, run);
                        int to = paddedAt(b, oh * g.stride() + kh, ow * g.stride());
                        for (int t = 0; t < run; t++) {
                            sums[to + t] += runBuffer[t];
                        }
                    }
                }
            }
        }
    }

    /** As {@link #addRows(NativeFloats, int, int)} from a Java copy of the rows. */
    private void addRows(float[] rows, int first, int count) {
        int run = g.kernel() * g.channels();
        int from = 0;
        for (int b = first; b < first + count; b++) {
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    for (int kh = 0; kh < g.kernel(); kh++, from += run) {
                        int to = paddedAt(b, oh * g.stride() + kh, ow * g.stride());
                        for (int t = 0; t < run; t++) {
                            sums[to + t] += rows[from + t];
                        }
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #gather}: {@code output} (n NHWC input-shaped images) = sum of each tap's column. */
    void scatter(float[] col, int n, float[] output) {
        clearSums(n);
        addRows(col, 0, n);
        unpad(n, output);
    }

    private void clearSums(int n) {
        Arrays.fill(sums, 0, n * paddedH * paddedW * g.channels(), 0f);
    }

    /** The input into the interior of {@link #padded}. */
    private void pad(float[] input, int n) {
        int line = g.inW() * g.channels();
        for (int b = 0; b < n; b++) {
            for (int ih = 0; ih < g.inH(); ih++) {
                System.arraycopy(input, (b * g.inH() + ih) * line, padded, paddedAt(b, ih + g.pad(), g.pad()), line);
            }
        }
    }

    /** The interior of {@link #sums} into {@code output}: the taps that fell on the padding are dropped. */
    private void unpad(int n, float[] output) {
        int line = g.inW() * g.channels();
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
