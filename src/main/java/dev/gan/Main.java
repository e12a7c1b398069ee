package dev.gan;

import dev.gan.cli.GanCli;

import java.io.PrintWriter;

/** Entry point of the {@code gan} launcher. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(out, err, args));
    }

    /** Runs one gan command line with the given streams and returns its exit code (used by tests too). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        String argumentFileProblem = GanCli.argumentFileProblem(args);
        if (argumentFileProblem != null) {
            err.println("gan: " + argumentFileProblem);
            err.flush();
            return dev.gan.cli.ExitCodes.USAGE;
        }
        int code = GanCli.newCommandLine(out, err).execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
