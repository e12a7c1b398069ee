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

    /** Row-major C = alpha op(A) op(B) + beta C, op(X) = X or X^T; {@code ld*} are the row strides. */
    public static void multiply(boolean transA, boolean transB, int m, int n, int k, float alpha, FloatPointer a,
                                int lda, FloatPointer b, int ldb, float beta, FloatPointer c, int ldc) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
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
