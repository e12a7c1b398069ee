package dev.gan.cli;

import dev.gan.experiment.Experiment;
import dev.gan.experiment.ExperimentException;
import dev.gan.experiment.ExperimentReport;
import dev.gan.experiment.ExperimentRunner;
import dev.gan.system.Threads;
import dev.gan.util.Json;
import dev.gan.util.Shell;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code gan experiment}: many runs from one file, reproducible and comparable. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Batch experiments: run a grid of trainings, report them, or plan them for a cluster.",
        subcommands = {ExperimentCommand.Run.class, ExperimentCommand.Report.class, ExperimentCommand.Plan.class},
        footerHeading = "%nExperiment file (YAML):%n",
        footer = {
                "  name: lr-sweep",
                "  base: {data: ../shared/data/mnist, split: test, epochs: 20, conditional: true}",
                "  grid: {lr-g: [2e-4, 1e-3], seed: [1, 2, 3]}",
                "  runs: [{beta1: 0.5}, {beta1: 0.9}]     # optional, each crossed with the grid",
                "  eval: {count: 10000}                   # optional: gan eval each finished run",
                "Keys are gan train option names without dashes; flags take true/false."})
final class ExperimentCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (run, report or plan)");
    }

    static Path defaultDir(Experiment experiment) {
        return Path.of("experiments", experiment.name());
    }

    @Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Run every configuration (skipping finished runs, resuming interrupted ones); exit 1 if any failed.")
    static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The experiment file (YAML or JSON).")
        Path file;

        @Option(names = "--out", paramLabel = "DIR", description = "Experiment directory (default: experiments/<name>).")
        Path out;

        @Option(names = "--parallel", paramLabel = "N", defaultValue = "1",
                description = "Trainings at once, as separate processes sharing the cores (default: ${DEFAULT-VALUE}).")
        int parallel;

        @Option(names = "--dry-run", description = "List the runs and their gan train arguments; run nothing.")
        boolean dryRun;

        @Mixin
        JsonOption json;

        @Option(names = "--only", paramLabel = "RUN", split = ",",
                description = "Only these runs (by name, as --dry-run lists them); the summary is left to gan "
                        + "experiment report. What each Slurm task and each plan line runs.")
        List<String> only;

        @Override
        public Integer call() throws ExperimentException, IOException, InterruptedException {
            if (parallel < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "Invalid value for option '--parallel': " + parallel);
            }
            Experiment experiment = Experiment.read(file);
            List<Experiment.PlannedRun> planned = experiment.plan(
                    args -> TrainCommand.problemWith(args, Threads.available(), "cores gan may use here"));
            Path dir = out != null ? out : defaultDir(experiment);
            List<Experiment.PlannedRun> runs = planned;
            if (only != null) {
                List<String> names = planned.stream().map(Experiment.PlannedRun::name).toList();
                for (String name : only) {
                    if (!names.contains(name)) {
                        throw new CommandLine.ParameterException(spec.commandLine(), "Invalid value for option "
                                + "'--only': " + file + " plans no run named '" + name + "'");
                    }
                }
                runs = planned.stream().filter(r -> only.contains(r.name())).toList();
            }
            var stdout = spec.commandLine().getOut();
            if (dryRun) {
                for (Experiment.PlannedRun run : runs) {
                    if (json.enabled) {
                        stdout.println(Json.compact(Map.of("run", run.name(), "dir", dir.resolve(run.name()).toString(),
                                "args", run.trainArguments())));
                    } else {
                        stdout.println(run.name() + "  gan train " + String.join(" ", run.trainArguments())
                                + " --out " + dir.resolve(run.name()));
                    }
                }
                return ExitCodes.OK;
            }
            ExperimentRunner.prepare(experiment, planned, dir);
            ExperimentRunner runner = new ExperimentRunner(Run::launch, parallel, json.enabled ? line -> { } : stdout::println);
            List<ExperimentRunner.Outcome> outcomes = runner.run(experiment, runs, dir);
            long failed = outcomes.stream().filter(o -> o.status().equals("failed")).count();
            if (json.enabled) {
                outcomes.forEach(o -> stdout.println(Json.compact(o)));
            } else {
                stdout.printf("%d runs: %d failed; results in %s (gan experiment report %s)%n", outcomes.size(), failed, dir,
                        Shell.quote(dir));
            }
            if (only != null) {
                return failed == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
            }
            List<ExperimentReport.Row> rows = ExperimentReport.collect(dir);
            ExperimentReport.requireReportable(dir, false);
            ExperimentReport.write(dir, rows);
            dev.gan.report.ExperimentPage.write(dir, rows);
            return failed == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
        }

        /** The same Java, JVM options and classpath as this process, running dev.gan.Main. */
        static Process launch(List<String> ganArguments, Path log, Map<String, String> environment) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (!option.startsWith("-agentlib") && !option.startsWith("-javaagent")) {
                    command.add(option);
                }
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.gan.Main"));
            command.addAll(ganArguments);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            return builder.start();
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Write summary.csv, summary.md (mean +- std over seeds) and report.html for an experiment directory.")
    static final class Report implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "DIR", description = "The experiment directory.")
        Path dir;

        @Option(names = "--force", description = "Replace summary files in DIR that gan did not write.")
        boolean force;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() throws ExperimentException, IOException {
            ExperimentReport.requireReportable(dir, force);
            List<ExperimentReport.Row> rows = ExperimentReport.collect(dir);
            String markdown = ExperimentReport.write(dir, rows);
            dev.gan.report.ExperimentPage.write(dir, rows);
            var stdout = spec.commandLine().getOut();
            if (json.enabled) {
                rows.forEach(r -> stdout.println(Json.compact(r)));
            } else {
                stdout.print(markdown);
                stdout.println("written to " + dir.resolve("summary.csv") + ", " + dir.resolve("summary.md") + " and "
                        + dir.resolve("report.html"));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Plan the runs for another scheduler: one self-contained command line per run (for GNU "
                    + "parallel or xargs), or a Slurm job-array script for sbatch. Each runs gan experiment run --only "
                    + "RUN: train (skipped when finished, resumed when stopped), then evaluate as the file asks; so "
                    + "resubmitting is safe. Creates the experiment folder and its logs/ folder now.",
            footerHeading = "%nExamples:%n",
            footer = {"  gan experiment plan sweep.yaml --format lines | parallel -j 2",
                    "  gan experiment plan sweep.yaml --format slurm --cpus-per-task 2 --sbatch \"--partition=cpu --time=02:00:00 --mem=2G\" > job.sh",
                    "  sbatch job.sh   # then: gan experiment report experiments/sweep"})
    static final class Plan implements Callable<Integer> {
        enum Format { lines, slurm }

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The experiment file.")
        Path file;

        @Option(names = "--format", paramLabel = "FMT", defaultValue = "lines", description = "lines or slurm (default: ${DEFAULT-VALUE}).")
        Format format;

        @Option(names = "--out", paramLabel = "DIR", description = "Experiment directory (default: experiments/<name>).")
        Path out;

        @Option(names = "--gan", paramLabel = "PATH",
                description = "The gan launcher on the nodes (default: this launcher's absolute path).")
        String gan;

        @Option(names = "--cpus-per-task", paramLabel = "N", defaultValue = "1",
                description = "Slurm: cores per run, each run's --threads (default: ${DEFAULT-VALUE}).")
        int cpusPerTask;

        @Option(names = "--sbatch", paramLabel = "OPTIONS",
                description = "Slurm: more sbatch options, each an #SBATCH line, e.g. \"--partition=gpu --time=02:00:00 --mem=2G\".")
        String sbatch;

        @Override
        public Integer call() throws ExperimentException, IOException {
            if (cpusPerTask < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "Invalid value for option '--cpus-per-task': "
                        + cpusPerTask + " (must be positive)");
            }
            Experiment experiment = Experiment.read(file);
            List<Experiment.PlannedRun> runs = experiment.plan(
                    args -> TrainCommand.problemWith(args, cpusPerTask, "cores of --cpus-per-task"));
            Path dir = (out != null ? out : defaultDir(experiment)).toAbsolutePath().normalize();
            String launcher = gan != null ? gan : System.getProperty("gan.launcher", "gan");
            // Output paths must exist before sbatch opens them, and the report needs the plan.
            ExperimentRunner.prepare(experiment, runs, dir);
            String command = Shell.quote(launcher) + " experiment run " + Shell.quote(file.toAbsolutePath().normalize().toString())
                    + " --out " + Shell.quote(dir) + " --only ";
            var stdout = spec.commandLine().getOut();
            if (format == Format.lines) {
                for (Experiment.PlannedRun run : runs) {
                    stdout.println(command + Shell.quote(run.name()));
                }
                return ExitCodes.OK;
            }
            stdout.println("#!/bin/bash");
            stdout.println("#SBATCH --job-name=" + Shell.quote(experiment.name()));
            stdout.println("#SBATCH --array=0-" + (runs.size() - 1));
            stdout.println("#SBATCH --cpus-per-task=" + cpusPerTask);
            stdout.println("#SBATCH --output=" + dir.resolve("logs") + "/slurm-%A-%a.log");
            if (sbatch != null && !sbatch.isBlank()) {
                for (String option : sbatch.trim().split("\\s+")) {
                    stdout.println("#SBATCH " + option);
                }
            }
            stdout.println("# " + runs.size() + " runs of " + file.toAbsolutePath().normalize() + ", one per array task: each "
                    + "trains (skipped when finished, resumed when stopped) and evaluates; resubmitting is safe.");
            stdout.println("# When all are done: " + Shell.quote(launcher) + " experiment report " + Shell.quote(dir));
            stdout.println("set -euo pipefail");
            stdout.println("runs=(");
            runs.forEach(r -> stdout.println("  " + Shell.quote(r.name())));
            stdout.println(")");
            stdout.println("export GAN_THREADS=\"${SLURM_CPUS_PER_TASK:-1}\" OMP_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-1}\" "
                    + "OMP_WAIT_POLICY=passive ND4J_SKIP_BLAS_THREADS=1 OPENBLAS_NUM_THREADS=1");
            stdout.println("exec " + command + "\"${runs[$SLURM_ARRAY_TASK_ID]}\"");
            return ExitCodes.OK;
        }
    }

}
