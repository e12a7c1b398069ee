package dev.gan.util;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

/**
 * OpenBLAS's float matrix multiply on native memory, called directly: the library ND4J's CPU backend uses,
 * without ND4J's per-call work (shape checks, order conversions, result arrays). CPU backend only.
 */
public final class Sgemm {

    private Sgemm() {
    }

    /** A part of a split product does at least this many multiply-adds: smaller ones cost more than they save. */
    static final long MIN_PART_WORK = 1L << 18;

    /** A part has at least this many rows (or columns) of C, a multiple of OpenBLAS's register blocks. */
    private static final int SPLIT_GRAIN = 16;

    /**
     * Row-major C = alpha op(A) op(B) + beta C, op(X) = X or X^T; {@code ld*} are the row strides. A large product
     * is split into {@link Parallel#parts()} by rows of C (by columns when C has few rows), each part one
     * single-threaded OpenBLAS call on its own block of C. On one thread nothing is split; on more, OpenBLAS may
     * block a part's rows differently from the whole's, so C agrees to float rounding, not always to the bit (with
     * another thread count; the same count splits alike every time).
     */
    public static void multiply(boolean transA, boolean transB, int m, int n, int k, float alpha, FloatPointer a,
                                int lda, FloatPointer b, int ldb, float beta, FloatPointer c, int ldc) {
        int most = Parallel.parts();
        boolean byRows = m >= n || m >= most * SPLIT_GRAIN;
        int length = byRows ? m : n;
        long workPerLine = (long) (byRows ? n : m) * k;
        int grains = (length + SPLIT_GRAIN - 1) / SPLIT_GRAIN;
        int parts = Math.min(most, grains);
        // The smallest part has grains / parts grains, less the last grain's shortfall when it is the last part.
        while (parts > 1 && ((long) (grains / parts) * SPLIT_GRAIN - (grains * SPLIT_GRAIN - length)) * workPerLine
                <= MIN_PART_WORK) {
            parts--;
        }
        if (parts < 2) {
            cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }
        int split = parts;
        Parallel.run(parts, part -> {
            int from = Math.min(length, (int) ((long) grains * part / split) * SPLIT_GRAIN);
            int to = Math.min(length, (int) ((long) grains * (part + 1) / split) * SPLIT_GRAIN);
            if (from >= to) {
                return;
            }
            if (byRows) {
                // Rows from..to of op(A): rows of A, or columns of A when it is transposed.
                long aStart = transA ? from : (long) from * lda;
                cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                        to - from, n, k, alpha, offset(a, aStart), lda, b, ldb, beta, offset(c, (long) from * ldc), ldc);
            } else {
                // Columns from..to of op(B): columns of B, or rows of B when it is transposed.
                long bStart = transB ? (long) from * ldb : from;
                cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                        m, to - from, k, alpha, a, lda, offset(b, bStart), ldb, beta, offset(c, from), ldc);
            }
        });
    }

    /** {@code base} moved on by {@code elements} floats. */
    private static FloatPointer offset(FloatPointer base, long elements) {
        return floats(base.address() + elements * Float.BYTES, Math.max(0, base.limit() - elements));
    }

    /** The array's elements as a pointer (a view starts at its first element; its rows must be contiguous). */
    public static FloatPointer pointer(INDArray array) {
        return floats(address(array), array.length());
    }

    /**
     * Where the array's first element is. A view either has a buffer of its own that starts at its offset
     * (parameter views: the buffer's address pointer includes the offset, its plain address does not) or shares
     * its parent's buffer and keeps the offset in its shape: both are covered.
     */
    public static long address(INDArray array) {
        return array.data().addressPointer().address() + (array.offset() - array.data().offset()) * Float.BYTES;
    }

    /** {@code length} floats from {@code start}: a pointer that owns nothing (the arrays it points into do). */
    public static FloatPointer floats(long start, long length) {
        Pointer raw = new Pointer() {
            {
                address = start; // Pointer's own field (a local named address would be shadowed by it here)
            }
        };
        return new FloatPointer(raw).capacity(length).limit(length);
    }
}
