package dev.gan.cli;

import dev.gan.system.Backend;
import dev.gan.system.Threads;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code --backend cpu|cuda}: which ND4J backend the user expects; checked against the build before any work. */
final class BackendOption {

    @Option(names = "--backend", paramLabel = "KIND",
            description = "cpu or cuda: fail early unless this build runs on it (default: whatever the build has).")
    Backend backend;

    @Option(names = "--threads", paramLabel = "N",
            description = "Cores to compute on (default: $GAN_THREADS, else $OMP_NUM_THREADS, else all of them).")
    Integer threads;

    /** Fails with exit 2 if the asked-for backend is not in this build, then starts ND4J (exit 1 if it cannot). */
    void start(CommandLine cli) {
        if (backend != null && !backend.inBuild()) {
            Backend built = Backend.ofBuild();
            throw new CommandLine.ParameterException(cli, "Invalid value for option '--backend': " + backend.id()
                    + " is not in this build, which has the " + built.id() + " backend (" + built.artifact() + ")"
                    + (backend == Backend.CUDA ? "; build the CUDA launcher with ./mvnw -Pcuda package"
                    : "; build the CPU launcher with ./mvnw package"));
        }
        Backend.start();
    }

    /**
     * Starts ND4J as {@link #start} does, then computes on {@code --threads} cores (by default all of them).
     * Call on the thread that will compute.
     */
    void startComputing(CommandLine cli) {
        if (threads != null && threads < 1) {
            throw new CommandLine.ParameterException(cli, "Invalid value for option '--threads': must be positive, got "
                    + threads);
        }
        requireThreadsWithin(cli, Threads.available(), "cores this process may use");
        start(cli);
        Threads.use(threads != null ? threads : defaultThreads());
    }

    /**
     * Refuses a --threads above {@code cores} ("the 2 {@code whose}"): more threads than cores only fight over them,
     * each split waiting for its slowest part.
     */
    void requireThreadsWithin(CommandLine cli, int cores, String whose) {
        if (threads != null && threads > cores) {
            throw new CommandLine.ParameterException(cli, "Invalid value for option '--threads': " + threads
                    + " is more than the " + cores + " " + whose);
        }
    }

    /** OMP_NUM_THREADS when set (the launcher sets it from --threads), at most every core; else every core. */
    static int defaultThreads() {
        try {
            int omp = Integer.parseInt(System.getenv().getOrDefault("OMP_NUM_THREADS", ""));
            return omp > 0 ? Math.min(omp, Threads.available()) : Threads.available();
        } catch (NumberFormatException e) {
            return Threads.available();
        }
    }
}
