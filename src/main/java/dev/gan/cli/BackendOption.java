package dev.gan.cli;

import dev.gan.system.Backend;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --backend cpu|cuda}: which ND4J backend the user expects; checked against the build before any work. */
final class BackendOption {

    @Option(names = "--backend", paramLabel = "KIND",
            description = "cpu or cuda: fail early unless this build runs on it (default: whatever the build has).")
    Backend backend;

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
}
