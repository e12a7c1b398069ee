package dev.gan.nn;

import dev.gan.util.NativeCopy;
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
    /** Images per block of {@link #scatterProduct}. */
    private final int blockImages;
    /** Each part's working memory for {@link #scatterProduct} (a part is a range of images: see {@link Split}). */
    private PartMemory[] parts = new PartMemory[0];

    Patches(ConvGeometry geometry, int maxBatch) {
        this.g = geometry;
        this.paddedH = Math.max(geometry.paddedH(), geometry.inH() + geometry.pad());
        this.paddedW = Math.max(geometry.paddedW(), geometry.inW() + geometry.pad());
        this.padded = new float[Math.multiplyExact(maxBatch, paddedH * paddedW * geometry.channels())];
        this.sums = new float[padded.length];
        this.blockImages = Math.max(1, Math.min(maxBatch, BLOCK_FLOATS / (geometry.rows(1) * geometry.patch())));
    }

    /** One part's block of the product (native; a Java copy too for short runs) and a run of floats. */
    private record PartMemory(NativeFloats block, float[] javaBlock, float[] run) {
    }

    /** Working memory for {@code count} parts, made on the calling thread before a split. */
    private PartMemory[] partMemory(int count) {
        if (parts.length < count) {
            PartMemory[] grown = java.util.Arrays.copyOf(parts, count);
            int blockFloats = g.rows(blockImages) * g.patch();
            for (int i = parts.length; i < count; i++) {
                grown[i] = new PartMemory(new NativeFloats(blockFloats), longRuns() ? null : new float[blockFloats],
                        new float[g.kernel() * g.channels()]);
            }
            parts = grown;
        }
        return parts;
    }

    /** The im2col matrix of {@code n} NHWC images: {@code col} gets {@code rows(n) x patch()} floats. */
    void gather(float[] input, int n, float[] col) {
        Split.byRows(n, g.rows(1) * g.patch(), (first, last) -> gatherImages(input, first, last, col));
    }

    /** As {@link #gather(float[], int, float[])}, written straight into native memory (see {@link NativeCopy}). */
    void gather(float[] input, int n, NativeFloats col) {
        col.require((long) g.rows(n) * g.patch());
        Split.byRows(n, g.rows(1) * g.patch(), (first, last) -> gatherImages(input, first, last, col));
    }

    /**
     * As {@link #gather(float[], int, float[])} for images [first, last) only, on this thread: their rows of the
     * matrix, at their place in {@code col}. For a caller that splits a whole layer by images.
     */
    void gatherImages(float[] input, int first, int last, float[] col) {
        padImages(input, first, last);
        int run = g.kernel() * g.channels();
        int to = first * g.rows(1) * g.patch();
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
    }

    /** As {@link #gatherImages(float[], int, int, float[])} straight into native memory. */
    void gatherImages(float[] input, int first, int last, NativeFloats col) {
        padImages(input, first, last);
        int run = g.kernel() * g.channels();
        long step = (long) run * Float.BYTES;
        long to = col.address() + (long) first * g.rows(1) * g.patch() * Float.BYTES;
        for (int b = first; b < last; b++) {
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    for (int kh = 0; kh < g.kernel(); kh++, to += step) {
                        NativeCopy.toNative(padded, paddedAt(b, oh * g.stride() + kh, ow * g.stride()), to, run);
                    }
                }
            }
        }
    }

    /** Whether the native variants pay: a kernel row's run is long enough for a copy call per run. */
    boolean longRuns() {
        return g.kernel() * g.channels() >= COPY_RUN;
    }

    /** As {@link #scatter(float[], int, float[])}, reading the matrix straight from native memory. */
    void scatter(NativeFloats col, int n, float[] output) {
        col.require((long) g.rows(n) * g.patch());
        clearSums(n);
        PartMemory[] memory = partMemory(1);
        addRows(col.address(), 0, n, memory[0].run());
        unpad(n, output);
    }

    /**
     * {@code output} (n input-shaped NHWC images) = col2im(A B), A the {@code rows(n) x k} row-major matrix at
     * {@code a} and B the {@code k x patch()} one at {@code b}: the input gradient of a convolution (A its output
     * delta, B its weights) or a transposed convolution's forward pass. The product is made a few images at a
     * time, each block summed while still in cache: the whole matrix (20 MB for D's second convolution) went
     * out to memory and back. With several threads each takes a range of images, its blocks starting at its first
     * image; an image's sums are its own rows' alone, so they do not depend on the split.
     */
    void scatterProduct(FloatPointer a, int k, FloatPointer b, int n, float[] output) {
        int split = Split.parts(n, g.rows(1) * g.patch());
        PartMemory[] memory = partMemory(split);
        Split.inParts(n, split, (part, from, to) -> scatterProduct(memory[part], a, k, b, from, to, output));
    }

    /** Working memory for {@code count} parts of a caller's own split: call before the split. */
    void prepareParts(int count) {
        partMemory(count);
    }

    /**
     * As {@link #scatterProduct(FloatPointer, int, FloatPointer, int, float[])} for images [from, to) only, on
     * this thread with part {@code part}'s memory ({@link #prepareParts} made it): for a caller that splits a whole
     * layer by images.
     */
    void scatterProduct(FloatPointer a, int k, FloatPointer b, int from, int to, int part, float[] output) {
        scatterProduct(parts[part], a, k, b, from, to, output);
    }

    private void scatterProduct(PartMemory own, FloatPointer a, int k, FloatPointer b, int from, int to,
                                float[] output) {
        int patch = g.patch();
        clearSums(from, to);
        for (int first = from; first < to; first += blockImages) {
            int count = Math.min(blockImages, to - first);
            int rows = g.rows(count);
            FloatPointer rowsOfA = Sgemm.floats(a.address() + (long) g.rows(first) * k * Float.BYTES,
                    (long) rows * k);
            Sgemm.multiply(false, false, rows, patch, k, 1f, rowsOfA, k, b, patch, 0f, own.block().pointer(), patch);
            if (own.javaBlock() == null) {
                addRows(own.block().address(), first, count, own.run());
            } else {
                own.block().store(own.javaBlock(), rows * patch);
                addRows(own.javaBlock(), first, count);
            }
        }
        unpad(from, to, output);
    }

    /**
     * Adds the matrix rows of images [first, first + count), native memory from {@code address}, into
     * {@link #sums}, a kernel row's run at a time through {@code runBuffer}.
     */
    private void addRows(long address, int first, int count, float[] runBuffer) {
        int run = g.kernel() * g.channels();
        long from = address;
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

    /** As {@link #addRows(long, int, int, float[])} from a Java copy of the rows. */
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
        clearSums(0, n);
    }

    private void clearSums(int first, int last) {
        Arrays.fill(sums, paddedAt(first, 0, 0), paddedAt(last, 0, 0), 0f);
    }

    /** Images [first, last) of the input into the interior of {@link #padded}. */
    private void padImages(float[] input, int first, int last) {
        int line = g.inW() * g.channels();
        for (int b = first; b < last; b++) {
            for (int ih = 0; ih < g.inH(); ih++) {
                System.arraycopy(input, (b * g.inH() + ih) * line, padded, paddedAt(b, ih + g.pad(), g.pad()), line);
            }
        }
    }

    /** The interior of {@link #sums} into {@code output}: the taps that fell on the padding are dropped. */
    private void unpad(int n, float[] output) {
        unpad(0, n, output);
    }

    private void unpad(int first, int last, float[] output) {
        int line = g.inW() * g.channels();
        for (int b = first; b < last; b++) {
            for (int ih = 0; ih < g.inH(); ih++) {
                System.arraycopy(sums, paddedAt(b, ih + g.pad(), g.pad()), output, (b * g.inH() + ih) * line, line);
            }
        }
    }

    private int paddedAt(int b, int row, int column) {
        return ((b * paddedH + row) * paddedW + column) * g.channels();
    }
}
