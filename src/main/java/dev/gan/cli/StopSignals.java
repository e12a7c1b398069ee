package dev.gan.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.PrintWriter;
import java.util.function.BooleanSupplier;

/**
 * Turns the first Ctrl-C (SIGINT) or SIGTERM into a polite request that the training loop honours by
 * checkpointing and stopping; a second signal ends the process at once. Exit codes follow the shell
 * convention, 128 + signal number: 130 for SIGINT, 143 for SIGTERM.
 */
final class StopSignals implements BooleanSupplier, AutoCloseable {

    private volatile Signal received;
    private final SignalHandler previousInt;
    private final SignalHandler previousTerm;

    private StopSignals(PrintWriter err) {
        SignalHandler handler = signal -> {
            if (received != null) {
                err.println("gan train: stopped at once by a second SIG" + signal.getName() + "; --resume continues from "
                        + "the last complete checkpoint");
                err.flush();
                Runtime.getRuntime().halt(128 + signal.getNumber());
            }
            received = signal;
        };
        previousInt = handle("INT", handler);
        previousTerm = handle("TERM", handler);
    }

    /**
     * Handles one signal, or none where the platform has no such signal or keeps it for itself (the JVM on Windows
     * may refuse TERM: there Ctrl-C still checkpoints and stops, and a killed run resumes from its last checkpoint).
     * Returns the handler it replaced, or null.
     */
    private static SignalHandler handle(String name, SignalHandler handler) {
        try {
            return Signal.handle(new Signal(name), handler);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** @param err where a second signal, which ends the process at once, says so */
    static StopSignals install(PrintWriter err) {
        return new StopSignals(err);
    }

    @Override
    public boolean getAsBoolean() {
        return received != null;
    }

    int exitCode() {
        return received == null ? ExitCodes.FAILURE : 128 + received.getNumber();
    }

    @Override
    public void close() {
        if (previousInt != null) {
            handle("INT", previousInt);
        }
        if (previousTerm != null) {
            handle("TERM", previousTerm);
        }
    }
}
