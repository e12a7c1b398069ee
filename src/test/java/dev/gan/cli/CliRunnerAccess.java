package dev.gan.cli;

/** Lets tests outside this package run the command line in-process. */
public final class CliRunnerAccess {

    public record Result(int exitCode, String out, String err) {
    }

    private CliRunnerAccess() {
    }

    public static Result run(String... args) {
        CliRunner.Result r = CliRunner.run(args);
        return new Result(r.exitCode(), r.out(), r.err());
    }
}
