package dev.gan.experiment;

import dev.gan.run.RunLayout;
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
 * How each run ended is recorded in {@code status/<run>.json}; a failed run does not stop the others.
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

    public ExperimentRunner(Launcher launcher, int parallel, Consumer<String> progress) {
        this.launcher = launcher;
        this.parallel = parallel;
        this.progress = progress;
    }

    /**
     * Makes the experiment directory ready for runs by any route (this runner, a Slurm array, GNU parallel):
     * {@code logs/} and {@code status/} exist, and {@code experiment.json} lists every planned run with the
     * settings that vary, which the report reads.
     */
    public static void prepare(Experiment experiment, List<Experiment.PlannedRun> runs, Path dir)
            throws IOException, ExperimentException {
        requireExperimentFolder(dir);
        Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(dir.resolve("status"));
        Map<String, Object> plan = new TreeMap<>();
        for (Experiment.PlannedRun run : runs) {
            plan.put(run.name(), run.varying());
        }
        AtomicFiles.writeString(dir.resolve(PLAN_FILE), Json.MAPPER.writeValueAsString(
                Map.of("name", experiment.name(), "file", experiment.file().toAbsolutePath().toString(), "runs", plan)));
    }

    /** The file every experiment folder holds: what gan knows its own experiment folders by. */
    public static final String PLAN_FILE = "experiment.json";

    /** Whether {@code dir} is an experiment folder gan made (it holds {@link #PLAN_FILE}). */
    public static boolean isExperimentFolder(Path dir) {
        return Files.isRegularFile(dir.resolve(PLAN_FILE));
    }

    /**
     * Refuses a folder that is neither missing, empty nor a gan experiment folder (one with {@link #PLAN_FILE}):
     * its runs, logs and summaries would be written among the user's own files.
     */
    public static void requireExperimentFolder(Path dir) throws IOException, ExperimentException {
        if (!Files.exists(dir) || isExperimentFolder(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new ExperimentException(dir + ": is a file, not an experiment folder; choose a new folder for --out");
        }
        try (var entries = Files.list(dir)) {
            List<String> names = entries.map(p -> p.getFileName().toString()).sorted().limit(5).toList();
            if (!names.isEmpty()) {
                throw new ExperimentException(dir + ": is not empty and is not a gan experiment folder (no " + PLAN_FILE
                        + "; it holds " + String.join(", ", names) + "); choose an empty or new folder for --out");
            }
        }
    }

    /** The cores this runner may use: a Slurm task's allocation where there is one, else the machine's. */
    static int cores(Map<String, String> environment) {
        String slurm = environment.get("SLURM_CPUS_PER_TASK");
        if (slurm != null && slurm.matches("[1-9][0-9]*")) {
            return Integer.parseInt(slurm);
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** Runs {@code runs} (all of the experiment's, or some: see {@link #prepare}, which lists them all). */
    public List<Outcome> run(Experiment experiment, List<Experiment.PlannedRun> runs, Path dir)
            throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("logs"));
        Path statusFile = Files.createDirectories(dir.resolve("status"));
        int cores = cores(System.getenv());
        // Runs side by side share the cores: each computes on its part (gan's --threads, through GAN_THREADS).
        String threads = Integer.toString(Math.max(1, cores / parallel));
        Map<String, String> environment = Map.of("GAN_THREADS", threads, "OMP_NUM_THREADS", threads,
                "OMP_WAIT_POLICY", "passive", "OPENBLAS_NUM_THREADS", "1", "ND4J_SKIP_BLAS_THREADS", "1");
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
        boolean trained = Files.exists(runDir.resolve(RunLayout.GENERATOR));
        boolean evaluated = experiment.evalCount() == 0 || Files.exists(runDir.resolve(RunLayout.EVAL));
        if (trained && evaluated) {
            progress.accept(run.name() + ": finished before, skipped");
            return record(new Outcome(run.name(), "skipped", 0, 0), statusFile);
        }
        long start = System.nanoTime();
        int code = 0;
        if (!trained) {
            List<String> args = new ArrayList<>();
            if (Files.exists(runDir.resolve(RunLayout.CONFIG))) {
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
            // No --data: eval judges a run against the data it trained on, split included (passing the run's
            // --data alone sent a run on the test digits off to find, or download, the training set).
            code = launcher.start(args, log, environment).waitFor();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String status = code == 0 ? "done" : "failed";
        progress.accept(run.name() + ": " + status + (code == 0 ? "" : " (exit " + code + ", see " + log + ")"));
        return record(new Outcome(run.name(), status, code, seconds), statusFile);
    }

    /**
     * Keeps how a run ended in {@code status/<run>.json}: a file per run, so that runs finished by separate
     * processes (Slurm tasks, parallel jobs) never overwrite each other's record. A skip keeps the earlier record.
     */
    private Outcome record(Outcome outcome, Path statusDir) throws IOException {
        Path file = statusDir.resolve(outcome.name() + ".json");
        if (!outcome.status().equals("skipped") || !Files.exists(file)) {
            AtomicFiles.writeString(file, Json.MAPPER.writeValueAsString(outcome));
        }
        return outcome;
    }
}
