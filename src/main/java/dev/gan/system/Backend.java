package dev.gan.system;

import org.nd4j.linalg.factory.Nd4j;

import java.util.Locale;

/**
 * The ND4J backends a build can carry. The default build has only {@link #CPU}; {@code ./mvnw -Pcuda package}
 * builds one with only {@link #CUDA}. Which one a build has is known from its classes, without starting ND4J.
 */
public enum Backend {
    CPU("org.nd4j.linalg.cpu.nativecpu.CpuBackend", "nd4j-native"),
    CUDA("org.nd4j.linalg.jcublas.JCublasBackend", "nd4j-cuda-11.6");

    private final String backendClass;
    private final String artifact;

    Backend(String backendClass, String artifact) {
        this.backendClass = backendClass;
        this.artifact = artifact;
    }

    public String artifact() {
        return artifact;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this build contains the backend (not whether it can start: CUDA also needs a GPU and driver). */
    public boolean inBuild() {
        try {
            Class.forName(backendClass, false, Backend.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The backend this build carries (CUDA where both are present: ND4J prefers it). */
    public static Backend ofBuild() {
        return CUDA.inBuild() ? CUDA : CPU;
    }

    /**
     * Starts ND4J, turning its failure (an initializer error with the cause only in the log) into a
     * {@link BackendUnavailableException} that says what is missing.
     */
    public static void start() {
        try {
            Nd4j.getBackend();
        } catch (ExceptionInInitializerError | NoClassDefFoundError e) {
            Backend backend = ofBuild();
            String reason = backend == CUDA ? cudaLoadProblem() : null;
            throw new BackendUnavailableException("the ND4J " + backend.name() + " backend (" + backend.artifact()
                    + ") could not start" + (reason != null ? ": " + reason
                    + " (the CUDA build needs an NVIDIA GPU and its driver; CUDA itself is bundled)" : ""), e);
        }
    }

    /** Why JavaCPP cannot load the CUDA runtime here, e.g. "libcuda.so.1: cannot open shared object file". */
    private static String cudaLoadProblem() {
        try {
            Class<?> cudart = Class.forName("org.bytedeco.cuda.global.cudart");
            Class.forName("org.bytedeco.javacpp.Loader").getMethod("load", Class.class).invoke(null, cudart);
            return null;
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable cause = e.getCause();
            String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            int colon = message.lastIndexOf(".so: ");
            return colon >= 0 ? message.substring(colon + 5) : message;
        } catch (ReflectiveOperationException | LinkageError e) {
            return e.toString();
        }
    }
}
