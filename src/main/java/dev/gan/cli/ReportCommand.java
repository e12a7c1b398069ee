package dev.gan.cli;

import dev.gan.experiment.ExperimentRunner;
import dev.gan.report.RunReport;
import dev.gan.run.RunLayout;
import dev.gan.util.Json;
import dev.gan.util.Shell;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code gan report RUN_DIR}: (re)writes the run's plots and report.html. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write RUN_DIR/plots/*.png and RUN_DIR/report.html: configuration, metrics, curves, sample grids, eval.")
final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", arity = "0..1",
            description = "A run directory made by gan train (default: the newest finished run in --runs).")
    Path runDir;

    @Mixin
    RunsOption runs;

    @Mixin
    JsonOption json;

    @picocli.CommandLine.Option(names = "--force",
            description = "Replace a report.html that gan did not write (by default it is refused).")
    boolean force;

    @Override
    public Integer call() throws IOException {
        if (runDir == null) {
            runDir = runs.newestFinished(spec.commandLine().getErr(), "report");
        }
        if (!Files.exists(runDir)) {
            throw new UsageException(runDir + ": not found; expected a run directory made by gan train");
        }
        if (!Files.isRegularFile(runDir.resolve(RunLayout.METRICS)) && RunRecords.of(runDir) == null) {
            throw new UsageException(runDir + ": no metrics.csv or config.json here; expected a run directory made by "
                    + "gan train" + (ExperimentRunner.isExperimentFolder(runDir)
                    ? " (this is an experiment folder: gan experiment report " + Shell.quote(runDir) + ")" : ""));
        }
        Path report = RunReport.write(runDir, force);
        spec.commandLine().getOut().println(json.enabled
                ? Json.compact(Map.of("run_dir", runDir.toString(), "report", report.toString()))
                : "wrote " + report);
        return ExitCodes.OK;
    }
}
