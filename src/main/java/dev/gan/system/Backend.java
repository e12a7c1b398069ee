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
        Backend backend = ofBuild();
        if (backend == CUDA) {
            // Probe first: ND4J would print a stack trace for the same failure and then only say "no backend".
            String problem = cudaLoadProblem();
            if (problem != null) {
                throw new BackendUnavailableException("the ND4J CUDA backend (" + CUDA.artifact + ") cannot start: "
                        + problem + " (the CUDA build needs an NVIDIA GPU and its driver; CUDA itself is bundled)", null);
            }
        }
        try {
            Nd4j.getBackend();
        } catch (ExceptionInInitializerError | NoClassDefFoundError e) {
            throw new BackendUnavailableException("the ND4J " + backend.name() + " backend (" + backend.artifact()
                    + ") could not start; run with --verbose for ND4J's log", e);
        }
    }

    /**
     * The useful line of JavaCPP's failure: it reports "no jnicudart in java.library.path" and keeps the real
     * reason ("libcuda.so.1: cannot open shared object file") in a cause or a suppressed exception.
     */
    private static String missingLibrary(Throwable failure) {
        java.util.ArrayDeque<Throwable> pending = new java.util.ArrayDeque<>(java.util.List.of(failure));
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        while (!pending.isEmpty()) {
            Throwable t = pending.pop();
            if (!seen.add(t)) {
                continue;
            }
            String message = String.valueOf(t.getMessage());
            int at = message.indexOf(": cannot open shared object file");
            if (at >= 0) {
                int start = message.lastIndexOf(' ', at) + 1; // "/cache/.../libjnicudart.so: libcuda.so.1: ..."
                return message.substring(start).replaceFirst("^.*\\.so: ", "");
            }
            if (t.getCause() != null) {
                pending.add(t.getCause());
            }
            pending.addAll(java.util.List.of(t.getSuppressed()));
        }
        // JavaCPP reported only its own library: in practice the NVIDIA driver's libcuda.so.1 is what is missing.
        String message = String.valueOf(failure.getMessage()).replaceFirst(" in java\\.library\\.path.*", "");
        return "the CUDA runtime does not load (" + message + "; usually the NVIDIA driver's libcuda.so.1 is missing)";
    }

    /** Why JavaCPP cannot load the CUDA runtime here, e.g. "libcuda.so.1: cannot open shared object file". */
    private static String cudaLoadProblem() {
        try {
            Class<?> cudart = Class.forName("org.bytedeco.cuda.global.cudart", false, Backend.class.getClassLoader());
            Class.forName("org.bytedeco.javacpp.Loader").getMethod("load", Class.class).invoke(null, cudart);
            return null;
        } catch (java.lang.reflect.InvocationTargetException e) {
            return missingLibrary(e.getCause());
        } catch (LinkageError e) {
            return missingLibrary(e);
        } catch (ReflectiveOperationException e) {
            return e.toString();
        }
    }
}
