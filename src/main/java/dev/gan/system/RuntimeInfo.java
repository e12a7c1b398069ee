package dev.gan.system;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.environment.Nd4jEnvironment;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Facts about this build and the machine it runs on, as a user would paste them into a bug report: versions,
 * the ND4J backend and BLAS, threads, devices and memory limits. Also recorded next to every result.
 */
public final class RuntimeInfo {

    private static final Properties BUILD = loadBuildProperties();

    private RuntimeInfo() {
    }

    public static String ganVersion() {
        return BUILD.getProperty("gan.version", "unknown");
    }

    public static String dl4jVersion() {
        return BUILD.getProperty("dl4j.version", "unknown");
    }

    /** Versions only: cheap, does not start ND4J. */
    public static Map<String, Object> versions() {
        Map<String, Object> versions = new LinkedHashMap<>();
        versions.put("gan", ganVersion());
        versions.put("dl4j", dl4jVersion());
        versions.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        return versions;
    }

    /** The ND4J backend in use, e.g. CPU or CUDA; starts ND4J. */
    public static String backend() {
        Object backend = Nd4j.getExecutioner().getEnvironmentInformation().get(Nd4jEnvironment.BACKEND_KEY);
        return backend == null ? Nd4j.getBackend().getClass().getSimpleName() : backend.toString();
    }

    /** Everything: versions, backend, BLAS, threads, devices, memory. Starts ND4J. */
    public static Map<String, Object> describe() {
        Map<String, Object> info = new LinkedHashMap<>(versions());
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        info.put("backend", backend());
        info.put("backend artifact", BUILD.getProperty("nd4j.backend.artifact", "unknown"));
        info.put("platform", platform());
        String blasThreads = openBlas("blas_get_num_threads");
        info.put("blas vendor", blasThreads != null ? "OpenBLAS (org.bytedeco:openblas)"
                + (System.getenv("OPENBLAS_CORETYPE") != null ? ", core " + System.getenv("OPENBLAS_CORETYPE") : "")
                : env.getOrDefault(Nd4jEnvironment.BLAS_VENDOR_KEY, "unknown"));
        String natives = nativeBuild();
        if (natives != null) {
            info.put("nd4j natives", natives);
        }
        info.put("omp threads", env.getOrDefault(Nd4jEnvironment.OMP_THREADS_KEY, "unknown"));
        if ("-1".equals(blasThreads)) {
            blasThreads = System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", "OpenBLAS default") + " (OPENBLAS_NUM_THREADS)";
        }
        info.put("blas threads", blasThreads != null ? blasThreads
                : env.getOrDefault(Nd4jEnvironment.BLAS_THREADS_KEY, "unknown"));
        info.put("cpu cores", Runtime.getRuntime().availableProcessors());
        int threads = Threads.current();
        info.put("threads", threads == 0 ? "not set (a computing command takes --threads, by default every core)"
                : threads + " (OpenMP " + threads + "; gan's matrix multiplies " + (threads > 1 ? "split " + threads
                + " ways, " : "") + "OpenBLAS 1 thread each)");
        info.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        Object devices = env.get(Nd4jEnvironment.CUDA_DEVICE_INFORMATION_KEY);
        if (devices instanceof List<?> list) {
            int index = 0;
            for (Object device : list) {
                if (device instanceof Map<?, ?> d) {
                    info.put("gpu " + index++, d.get(Nd4jEnvironment.CUDA_DEVICE_NAME_KEY) + ", "
                            + mib(d.get(Nd4jEnvironment.CUDA_TOTAL_MEMORY_KEY)) + " total, "
                            + mib(d.get(Nd4jEnvironment.CUDA_FREE_MEMORY_KEY)) + " free, compute capability "
                            + d.get(Nd4jEnvironment.CUDA_DEVICE_MAJOR_VERSION_KEY) + "."
                            + d.get(Nd4jEnvironment.CUDA_DEVICE_MINOR_VERSION_KEY));
                }
            }
        }
        String cuda = cudaVersions();
        if (cuda != null) {
            info.put("cuda", cuda);
        }
        info.put("max heap", mib(Runtime.getRuntime().maxMemory()));
        info.put("max off-heap", mib(Pointer.maxBytes()));
        info.put("max physical", Pointer.maxPhysicalBytes() > 0 ? mib(Pointer.maxPhysicalBytes()) : "unlimited");
        for (String variable : List.of("OMP_NUM_THREADS", "OMP_WAIT_POLICY", "OPENBLAS_NUM_THREADS",
                "ND4J_SKIP_BLAS_THREADS")) {
            String value = System.getenv(variable);
            info.put(variable, value == null ? "(unset)" : value);
        }
        return info;
    }

    /**
     * Asks the bundled OpenBLAS directly (ND4J M2.1 reports its vendor as UNKNOWN). Reflection, because the
     * CUDA build has no OpenBLAS on its classpath; null when it is absent.
     */
    private static String openBlas(String function) {
        try {
            Object value = Class.forName("org.bytedeco.openblas.presets.openblas_nolapack").getMethod(function).invoke(null);
            return String.valueOf(value);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    /**
     * This machine's platform as JavaCPP names it, and the one whose natives the build packaged
     * ({@code -Djavacpp.platform}): they differ when a build made for one machine runs on another.
     */
    static String platform() {
        String running = org.bytedeco.javacpp.Loader.getPlatform();
        String built = BUILD.getProperty("javacpp.platform", "unknown");
        return running + (running.equals(built) ? "" : " (this build packaged the natives of " + built
                + ": rebuild here, or with -Djavacpp.platform=" + running + ")");
    }

    /** Which libnd4j build JavaCPP loaded, e.g. linux-x86_64-avx2 (the directory it was unpacked from). */
    private static String nativeBuild() {
        for (String path : org.bytedeco.javacpp.Loader.getLoadedLibraries().values()) {
            java.nio.file.Path file = java.nio.file.Path.of(path);
            if (file.getFileName().toString().startsWith("libnd4j") && file.getParent() != null) {
                return file.getParent().getFileName().toString();
            }
        }
        return null;
    }

    /** "runtime 11.6, driver 12.4" from the bundled CUDA runtime; null in the CPU build. Reflection, as above. */
    private static String cudaVersions() {
        try {
            Class<?> cudart = Class.forName("org.bytedeco.cuda.global.cudart");
            int[] runtime = new int[1];
            int[] driver = new int[1];
            cudart.getMethod("cudaRuntimeGetVersion", int[].class).invoke(null, (Object) runtime);
            cudart.getMethod("cudaDriverGetVersion", int[].class).invoke(null, (Object) driver);
            return "runtime " + cudaVersion(runtime[0]) + ", driver supports " + cudaVersion(driver[0]);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    private static String cudaVersion(int encoded) {
        return encoded / 1000 + "." + encoded % 1000 / 10;
    }

    private static String mib(Object bytes) {
        if (bytes == null) {
            return "unknown";
        }
        long value = Long.parseLong(bytes.toString());
        return value / (1024 * 1024) + " MiB";
    }

    private static Properties loadBuildProperties() {
        Properties properties = new Properties();
        try (InputStream in = RuntimeInfo.class.getResourceAsStream("/dev/gan/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // Leave the versions unknown: they are informative, never essential.
        }
        return properties;
    }
}
