package dev.gan.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gan.TestData;
import dev.gan.cli.CliRunnerAccess;
import dev.gan.util.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Experiment plans against the real schedulers: a one-node Slurm cluster (Debian's slurm-wlm and munge,
 * started here as root, as .ci/run installs them) and GNU parallel. Each route trains and evaluates a
 * two-run conditional plan, and the report reads both runs as done and evaluated.
 */
class SchedulerTest {

    @TempDir
    static Path work;

    static Path cluster;
    static Path gan;
    static Path classifier;
    static Map<String, String> slurmEnvironment;
    static final List<Process> daemons = new ArrayList<>();

    /** Where Debian puts a program; the daemons live in /usr/sbin, which a CI job's PATH may lack. */
    private static Path which(String program) {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return Path.of(dir, program);
            }
        }
        return null;
    }

    private static boolean installed(String program) {
        return which(program) != null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Runs a command to its end; its exit code and output together. */
    private static Map.Entry<Integer, String> sh(Map<String, String> environment, Path dir, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(600, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return Map.entry(process.exitValue(), output);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return log + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return log + ": " + e.getMessage();
        }
    }

    @BeforeAll
    static void launcherAndClassifier() throws Exception {
        // gan on the nodes: this test's Java and classpath behind a launcher script, as target/gan/bin/gan would be.
        gan = work.resolve("gan");
        Files.writeString(gan, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -Xmx1g -cp '" + System.getProperty("java.class.path") + "' dev.gan.Main \"$@\"\n");
        Files.setPosixFilePermissions(gan, PosixFilePermissions.fromString("rwxr-xr-x"));
        classifier = work.resolve("classifier.zip");
        var c = CliRunnerAccess.run("classifier", "train", "--data", TestData.mnistDir().toString(), "--split", "test",
                "--limit", "700", "--holdout", "200", "--epochs", "1", "--out", classifier.toString(), "--json");
        assertThat(c.exitCode()).as(c.err()).isZero();
    }

    private static Path experimentFile(String name) throws IOException {
        return Files.writeString(work.resolve(name + ".yaml"), String.join("\n",
                "name: " + name,
                "base:",
                "  conditional: true",
                "  data: " + TestData.mnistDir().toAbsolutePath(),
                "  split: test",
                "  limit: 500",
                "  batch-size: 50",
                "  hidden: 32",
                "  noise-dim: 16",
                "  epochs: 2",
                "grid:",
                "  seed: [1, 2]",
                "eval:",
                "  count: 500",
                "  classifier: " + classifier,
                ""));
    }

    private static void assertBothRunsDoneAndEvaluated(Path dir) throws Exception {
        var report = CliRunnerAccess.run("experiment", "report", dir.toString(), "--json");
        assertThat(report.exitCode()).as(report.err()).isZero();
        List<JsonNode> rows = report.out().lines().map(line -> {
            try {
                return Json.MAPPER.readTree(line);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }).toList();
        assertThat(rows).extracting(r -> r.get("name").asText()).containsExactly("seed=1", "seed=2");
        for (JsonNode row : rows) {
            assertThat(row.get("status").asText()).as(row.toString()).isEqualTo("done");
            assertThat(row.get("classifierScore").isNumber()).as(row.toString()).isTrue();
            assertThat(row.get("labelAccuracy").isNumber()).as(row.toString()).isTrue();
        }
        // Every row of the summary table has as many cells as its header (the page opens with gan's marker line).
        List<String> table = Files.readString(dir.resolve("summary.md")).lines().filter(l -> l.startsWith("|")).toList();
        assertThat(table).hasSizeGreaterThanOrEqualTo(4);
        long headerCells = table.get(0).chars().filter(ch -> ch == '|').count();
        for (String line : table.subList(0, 4)) {
            assertThat(line.chars().filter(ch -> ch == '|').count()).as(line).isEqualTo(headerCells);
        }
    }

    @Test
    void aSlurmJobArrayTrainsAndEvaluatesEveryRunAndAResubmissionSkipsThem() throws Exception {
        startSlurm();
        Path file = experimentFile("slurm-plan");
        Path dir = work.resolve("experiments/slurm-plan");
        var plan = CliRunnerAccess.run("experiment", "plan", file.toString(), "--format", "slurm", "--out", dir.toString(),
                "--gan", gan.toString(), "--sbatch", "--time=00:20:00 --mem=0");
        assertThat(plan.exitCode()).as(plan.err()).isZero();
        Path job = Files.writeString(work.resolve("job.sh"), plan.out());
        assertThat(dir.resolve("logs")).as("sbatch opens the output files before the job runs").isDirectory();

        var submitted = sh(slurmEnvironment, work, "sbatch", "--wait", job.toString());

        assertThat(submitted.getKey()).as(submitted.getValue() + logs(dir)).isZero();
        assertBothRunsDoneAndEvaluated(dir);

        var again = sh(slurmEnvironment, work, "sbatch", "--wait", job.toString());
        assertThat(again.getKey()).as(again.getValue()).isZero();
        assertThat(logs(dir)).contains("seed=1: finished before, skipped", "seed=2: finished before, skipped");
    }

    @Test
    void gnuParallelRunsTheLinesPlan() throws Exception {
        assumeTrue(installed("parallel"), "GNU parallel is not installed (apt-get install parallel; .ci/run does)");
        Path file = experimentFile("parallel-plan");
        Path dir = work.resolve("experiments/parallel-plan");
        var plan = CliRunnerAccess.run("experiment", "plan", file.toString(), "--format", "lines", "--out", dir.toString(),
                "--gan", gan.toString());
        assertThat(plan.exitCode()).as(plan.err()).isZero();
        assertThat(plan.out().lines()).hasSize(2).allMatch(line -> line.startsWith(gan + " experiment run "));
        Path lines = Files.writeString(work.resolve("lines.txt"), plan.out());

        var ran = sh(Map.of(), work, "parallel", "--will-cite", "-j", "2", "--arg-file", lines.toString());

        assertThat(ran.getKey()).as(ran.getValue()).isZero();
        assertBothRunsDoneAndEvaluated(dir);
    }

    private static String logs(Path dir) throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(dir.resolve("logs"))) {
            for (Path log : files.sorted().toList()) {
                all.append('\n').append(log.getFileName()).append(":\n").append(Files.readString(log));
            }
        }
        return all.toString();
    }

    /** munged, slurmctld and slurmd for one node with this machine's cores, all in a temporary folder. */
    private static synchronized void startSlurm() throws Exception {
        if (cluster != null) {
            return;
        }
        assumeTrue(installed("slurmctld") && installed("slurmd") && installed("munged") && installed("sbatch"),
                "Slurm is not installed (apt-get install slurm-wlm munge; .ci/run does)");
        cluster = Files.createDirectories(work.resolve("cluster"));
        Files.createDirectories(cluster.resolve("state"));
        Files.createDirectories(cluster.resolve("spool"));
        Path key = cluster.resolve("munge.key");
        byte[] secret = new byte[128];
        new java.security.SecureRandom().nextBytes(secret);
        Files.write(key, secret);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Path socket = cluster.resolve("munge.sock");
        String host = sh(Map.of(), work, "hostname", "-s").getValue().strip();
        Path conf = Files.writeString(cluster.resolve("slurm.conf"), String.join("\n",
                "ClusterName=gantest",
                "SlurmctldHost=" + host,
                "SlurmUser=root",
                "SlurmdUser=root",
                "AuthType=auth/munge",
                "AuthInfo=socket=" + socket,
                "ProctrackType=proctrack/linuxproc",
                "TaskPlugin=task/none",
                "SelectType=select/cons_tres",
                "SelectTypeParameters=CR_Core",
                "StateSaveLocation=" + cluster.resolve("state"),
                "SlurmdSpoolDir=" + cluster.resolve("spool"),
                "SlurmctldPidFile=" + cluster.resolve("slurmctld.pid"),
                "SlurmdPidFile=" + cluster.resolve("slurmd.pid"),
                "SlurmctldLogFile=" + cluster.resolve("slurmctld.log"),
                "SlurmdLogFile=" + cluster.resolve("slurmd.log"),
                "SlurmctldPort=" + freePort(),
                "SlurmdPort=" + freePort(),
                "MpiDefault=none",
                "ReturnToService=2",
                "NodeName=" + host + " CPUs=" + Runtime.getRuntime().availableProcessors() + " State=UNKNOWN",
                "PartitionName=main Nodes=ALL Default=YES MaxTime=INFINITE State=UP",
                ""));
        slurmEnvironment = Map.of("SLURM_CONF", conf.toString());
        // In the foreground (-F / -D), so that the test owns the processes and ends them.
        start("munged", "--foreground", "--force", "--key-file=" + key, "--socket=" + socket,
                "--pid-file=" + cluster.resolve("munged.pid"), "--log-file=" + cluster.resolve("munged.log"),
                "--seed-file=" + cluster.resolve("munge.seed"));
        waitFor(() -> Files.exists(socket), "munged", cluster.resolve("munged.log"));
        start("slurmctld", "-D", "-f", conf.toString());
        start("slurmd", "-D", "-f", conf.toString());
        waitFor(() -> sh(slurmEnvironment, work, "sinfo", "-h", "-o", "%t").getValue().strip().equals("idle"),
                "slurmctld and slurmd", cluster.resolve("slurmctld.log"), cluster.resolve("slurmd.log"));
    }

    private static void start(String... command) throws IOException {
        String program = command[0];
        command[0] = which(program).toString();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(cluster.resolve(program + ".out").toFile());
        builder.environment().putAll(slurmEnvironment);
        daemons.add(builder.start());
    }

    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }

    /** Waits up to 30 s; a daemon that does not come up fails the test with the last lines of its logs. */
    private static void waitFor(Check check, String what, Path... logs) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            if (check.holds()) {
                return;
            }
            Thread.sleep(250);
        }
        StringBuilder message = new StringBuilder(what + " did not come up in 30 s");
        for (Path log : logs) {
            message.append('\n').append(tail(log));
        }
        for (Process daemon : daemons) {
            message.append("\n").append(daemon.info().command().orElse("?")).append(daemon.isAlive() ? " running" : " exited "
                    + daemon.exitValue());
        }
        fail(message.toString());
    }

    @AfterAll
    static void stopWhatWasStarted() throws InterruptedException {
        for (int i = daemons.size() - 1; i >= 0; i--) {
            Process daemon = daemons.get(i);
            daemon.destroy();
            if (!daemon.waitFor(10, TimeUnit.SECONDS)) {
                daemon.destroyForcibly().waitFor();
            }
        }
    }
}
