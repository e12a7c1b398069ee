package dev.gan.cli;

/** The exit codes of every gan command. */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** A runtime failure: I/O error, network failure, diverged training, internal error. */
    public static final int FAILURE = 1;
    /** Bad input: an unknown or invalid option, a missing or corrupt data or model file. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
