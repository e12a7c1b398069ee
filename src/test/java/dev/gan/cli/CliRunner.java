package dev.gan.cli;

import dev.gan.Main;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the gan command line in-process, exactly as main does, capturing exit code and both streams. */
final class CliRunner {

    record Result(int exitCode, String out, String err) {
        String[] errLines() {
            return err.isEmpty() ? new String[0] : err.split("\n");
        }
    }

    private CliRunner() {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }
}
