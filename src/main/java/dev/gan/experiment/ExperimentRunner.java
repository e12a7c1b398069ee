package dev.gan.experiment;

import dev.gan.util.AtomicFiles;
import dev.gan.util.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs an experiment's trainings as separate {@code gan} processes, N at a time, each in its own run
 * directory under the experiment directory. Idempotent: finished runs are skipped, interrupted ones resumed.
 * A failed run is recorded in {@code status.json} and the others go on.
 */
public final class ExperimentRunner {

    /** Starts {@code gan ARGS} as a process with its output going to {@code log} and extra environment. */
    @FunctionalInterface
    public interface Launcher {
        Process start(List<String> ganArguments, Path log, Map<String, String> environment) throws IOException;
    }

    /** How one run ended: done (trained now), skipped (finished before), or failed. */
    public record Outcome(String name, String status, int exitCode, double seconds) {
    }

    private final Launcher launcher;
    private final int parallel;
    private final Consumer<String> progress;
    private final Map<String, Outcome> statuses = new TreeMap<>();

    public ExperimentRunner(Launcher launcher, int parallel, Consumer<String> progress) {
        this.launcher = launcher;
        this.parallel = parallel;
        this.progress = progress;
    }

    public List<Outcome> run(Experiment experiment, List<Experiment.PlannedRun> runs, Path dir)
            throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("logs"));
        Path statusFile = dir.resolve("status.json");
        if (Files.exists(statusFile)) {
            statuses.putAll(Json.MAPPER.readValue(statusFile.toFile(),
                    Json.MAPPER.getTypeFactory().constructMapType(TreeMap.class, String.class, Outcome.class)));
        }
        Map<String, Object> plan = new TreeMap<>();
        for (Experiment.PlannedRun run : runs) {
            plan.put(run.name(), run.varying());
        }
        AtomicFiles.writeString(dir.resolve("experiment.json"), Json.MAPPER.writeValueAsString(
                Map.of("name", experiment.name(), "file", experiment.file().toAbsolutePath().toString(), "runs", plan)));
        int cores = Runtime.getRuntime().availableProcessors();
        Map<String, String> environment = Map.of("OMP_NUM_THREADS", "1",
                "OPENBLAS_NUM_THREADS", Integer.toString(Math.max(1, cores / parallel)), "ND4J_SKIP_BLAS_THREADS", "1");
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        List<Future<Outcome>> futures = new ArrayList<>();
        for (Experiment.PlannedRun run : runs) {
            futures.add(pool.submit(() -> runOne(experiment, run, dir, environment, statusFile)));
        }
        pool.shutdown();
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> future : futures) {
            try {
                outcomes.add(future.get());
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IOException("experiment runner failed: " + e.getCause(), e.getCause());
            }
        }
        return outcomes;
    }

    private Outcome runOne(Experiment experiment, Experiment.PlannedRun run, Path dir, Map<String, String> environment,
                           Path statusFile) throws IOException, InterruptedException {
        Path runDir = dir.resolve(run.name());
        Path log = dir.resolve("logs").resolve(run.name() + ".log");
        boolean trained = Files.exists(runDir.resolve("generator.zip"));
        boolean evaluated = experiment.evalCount() == 0 || Files.exists(runDir.resolve("eval.json"));
        if (trained && evaluated) {
            progress.accept(run.name() + ": finished before, skipped");
            return record(new Outcome(run.name(), "skipped", 0, 0), statusFile);
        }
        long start = System.nanoTime();
        int code = 0;
        if (!trained) {
            List<String> args = new ArrayList<>();
            if (Files.exists(runDir.resolve("config.json"))) {
                progress.accept(run.name() + ": resuming");
                args.addAll(List.of("train", "--resume", runDir.toString(), "--quiet"));
            } else {
                progress.accept(run.name() + ": training");
                args.add("train");
                args.addAll(run.trainArguments());
                args.addAll(List.of("--out", runDir.toString(), "--overwrite", "--quiet"));
            }
            code = launcher.start(args, log, environment).waitFor();
        }
        if (code == 0 && experiment.evalCount() > 0) {
            progress.accept(run.name() + ": evaluating");
            List<String> args = new ArrayList<>(List.of("eval", "--run", runDir.toString(), "--count",
                    Integer.toString(experiment.evalCount()), "--json"));
            if (experiment.evalClassifier() != null) {
                args.addAll(List.of("--classifier", experiment.evalClassifier()));
            }
            for (String key : List.of("data", "dataset")) {
                if (run.settings().containsKey(key)) {
                    args.addAll(List.of("--" + key, run.settings().get(key)));
                }
            }
            code = launcher.start(args, log, environment).waitFor();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String status = code == 0 ? "done" : "failed";
        progress.accept(run.name() + ": " + status + (code == 0 ? "" : " (exit " + code + ", see " + log + ")"));
        return record(new Outcome(run.name(), status, code, seconds), statusFile);
    }

    private synchronized Outcome record(Outcome outcome, Path statusFile) throws IOException {
        Outcome previous = statuses.get(outcome.name());
        if (!outcome.status().equals("skipped") || previous == null) {
            statuses.put(outcome.name(), outcome);
        }
        AtomicFiles.writeString(statusFile, Json.MAPPER.writeValueAsString(statuses));
        return outcome;
    }
}
