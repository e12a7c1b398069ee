package dev.gan.bench;

import dev.gan.util.Sgemm;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * What this machine's BLAS reaches, with the threads this process has: the best of a few large float
 * matrix multiplies. The training loop's GFLOP/s are reported against it. On the CPU backend OpenBLAS is
 * called directly, as the training loop calls it: through ND4J's {@code mmul} a 1024^3 multiply measured
 * 50-68 GFLOP/s where OpenBLAS itself reaches 90 (Haswell kernels, one thread).
 */
public final class MatrixPeak {

    private MatrixPeak() {
    }

    /** GFLOP/s of an n x n x n sgemm, best of {@code repeats} after one warm-up. */
    public static double gflops(int n, int repeats) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.create(DataType.FLOAT, n, n);
        Runnable multiply = Nd4j.getEnvironment().isCPU()
                ? () -> Sgemm.multiply(false, false, n, n, n, 1f, Sgemm.pointer(a), n, Sgemm.pointer(b), n, 0f,
                        Sgemm.pointer(c), n)
                : () -> a.mmuli(b, c);
        multiply.run();
        double[] seconds = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            multiply.run();
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        return 2.0 * n * n * n / Arrays.stream(seconds).min().orElseThrow() / 1e9;
    }
}
