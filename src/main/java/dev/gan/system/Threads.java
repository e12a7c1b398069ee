package dev.gan.system;

import dev.gan.util.Parallel;
import org.bytedeco.openblas.presets.openblas_nolapack;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cores a command computes on. Three kinds of threads share them: OpenMP's (libnd4j's ops, oneDNN's
 * convolutions), gan's own ({@link Parallel}: its matrix multiplies split by rows, each part one OpenBLAS call) and
 * OpenBLAS's. OpenBLAS's threads and OpenMP's both spin while they wait and fought when both had the cores (the MLP
 * GAN 2.5 times slower on 2 cores), so OpenBLAS keeps one thread and gan splits its multiplies itself.
 *
 * <p>OpenMP's and libnd4j's pools are sized when ND4J loads, from {@code OMP_NUM_THREADS}: the launcher sets it
 * from {@code --threads} before Java starts, and {@link #use} can then only lower it (set on the thread that
 * computes: OpenMP's count belongs to the calling thread).
 */
public final class Threads {

    private static final Logger LOG = LoggerFactory.getLogger(Threads.class);
    /** The threads set last in this process (OpenMP's and gan's; OpenBLAS always one), 0 when none was. */
    private static volatile int current;

    private Threads() {
    }

    /** The cores this process may use. */
    public static int available() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** Computes on {@code threads} cores from now on. */
    public static void use(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive, got " + threads);
        }
        if (Nd4j.getEnvironment().isCPU()) {
            Nd4j.getEnvironment().setMaxThreads(threads);
            Nd4j.getEnvironment().setMaxMasterThreads(threads);
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
            openblas_nolapack.blas_set_num_threads(1);
        }
        Parallel.use(threads);
        current = threads;
        LOG.info("computing on {} of {} cores: OpenMP {}, gan's matrix multiplies split {} ways, OpenBLAS 1 thread",
                threads, available(), threads, threads);
    }

    /** The threads set last in this process, 0 when none was. */
    public static int current() {
        return current;
    }
}
