package dev.gan.cli;

import dev.gan.run.RunsFolder;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** {@code --runs DIR}: where gan train puts runs by default, and where sample, eval and report find the newest. */
final class RunsOption {

    @Option(names = "--runs", paramLabel = "DIR", defaultValue = "runs",
            description = "Folder of runs: gan train's default place for them; sample, eval and report take its newest "
                    + "finished run when no run is named (default: ${DEFAULT-VALUE}, or $GAN_RUNS).")
    Path dir = Path.of("runs");

    RunsFolder folder() {
        return new RunsFolder(dir);
    }

    /** The newest finished run, named on {@code err}; a usage error when there is none. */
    Path newestFinished(PrintWriter err, String command) throws IOException {
        Path run = folder().newestFinished().orElseThrow(() -> new UsageException(dir + ": no finished run here to "
                + "use; train one first (gan train --conditional --data DIR) or name one with --run RUN_DIR"));
        err.println("gan " + command + ": using " + run + ", the newest finished run in " + dir + " (--run to choose)");
        err.flush();
        return run;
    }
}
