package dev.gan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gan.TestData;
import dev.gan.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** gan experiment run / report / plan with real gan processes on tiny runs. */
class ExperimentCommandTest {

    @TempDir
    Path tmp;

    private Path experiment(Path classifier) throws Exception {
        String data = TestData.mnistDir().toAbsolutePath().toString();
        return Files.writeString(tmp.resolve("tiny.yaml"), """
                name: tiny
                base:
                  data: %s
                  split: test
                  limit: 200
                  batch-size: 50
                  hidden: 16
                  noise-dim: 8
                  epochs: 2
                  offline: true
                  checkpoint-every: 1
                grid:
                  seed: [1, 2]
                runs:
                  - {conditional: true}
                  - {conditional: true, data: %s}
                eval:
                  count: 200
                  classifier: %s
                """.formatted(data, tmp.resolve("no-such-data"), classifier));
    }

    @Test
    void runsTheGridRecordsAFailureSkipsFinishedRunsResumesInterruptedOnesAndReports() throws Exception {
        Path classifier = tmp.resolve("classifier.zip");
        assertThat(CliRunner.run("classifier", "train", "--data", TestData.mnistDir().toString(), "--split", "test",
                "--limit", "1200", "--holdout", "200", "--epochs", "1", "--out", classifier.toString()).exitCode()).isZero();
        Path file = experiment(classifier);
        Path dir = tmp.resolve("out");
        String good1 = "conditional=true_seed=1";
        String good2 = "conditional=true_seed=2";
        String bad1 = "conditional=true_data=" + tmp.resolve("no-such-data").toString().replaceAll("[^A-Za-z0-9._=+-]", "-") + "_seed=1";

        CliRunner.Result first = CliRunner.run("experiment", "run", file.toString(), "--out", dir.toString(), "--parallel", "2");

        assertThat(first.exitCode()).as(first.out() + first.err()).isEqualTo(ExitCodes.FAILURE); // two runs lack data
        assertThat(first.out()).contains("4 runs: 2 failed");
        for (String good : List.of(good1, good2)) {
            assertThat(dir.resolve(good).resolve("generator.zip")).exists();
            assertThat(dir.resolve(good).resolve("eval.json")).exists();
        }
        assertThat(Json.MAPPER.readTree(dir.resolve("status").resolve(good1 + ".json").toFile()).get("status").asText())
                .isEqualTo("done");
        assertThat(Json.MAPPER.readTree(dir.resolve("status").resolve(bad1 + ".json").toFile()).get("status").asText())
                .isEqualTo("failed");
        assertThat(Files.readString(dir.resolve("logs").resolve(bad1 + ".log"))).contains("missing");

        // An interrupted run: the final model is gone, its epoch-1 checkpoint is there.
        Files.delete(dir.resolve(good2).resolve("generator.zip"));
        Files.delete(dir.resolve(good2).resolve("eval.json"));
        CliRunner.Result second = CliRunner.run("experiment", "run", file.toString(), "--out", dir.toString());

        assertThat(second.out()).contains(good1 + ": finished before, skipped", good2 + ": resuming", good2 + ": done");
        assertThat(dir.resolve(good2).resolve("generator.zip")).exists();

        CliRunner.Result report = CliRunner.run("experiment", "report", dir.toString());
        assertThat(report.exitCode()).isZero();
        List<String> csv = Files.readAllLines(dir.resolve("summary.csv"));
        assertThat(csv.get(0)).isEqualTo("run,conditional,data,seed,status,d_loss,g_loss,classifier_score,"
                + "frechet_distance,precision,recall,label_accuracy,worst_digit_accuracy,modes,min_class_share,"
                + "max_class_share,seconds");
        assertThat(csv).hasSize(5);
        // The goal figures come from eval.json: the worst digit is no better than the mean, shares bracket 10%.
        List<String> header = List.of(csv.get(0).split(","));
        String[] cells = csv.stream().filter(l -> l.startsWith(good1 + ",")).findFirst().orElseThrow().split(",", -1);
        java.util.function.ToDoubleFunction<String> cell = column -> Double.parseDouble(cells[header.indexOf(column)]);
        double accuracy = cell.applyAsDouble("label_accuracy");
        assertThat(cell.applyAsDouble("worst_digit_accuracy")).isBetween(0.0, accuracy);
        assertThat(cell.applyAsDouble("modes")).isBetween(0.0, 10.0);
        assertThat(cell.applyAsDouble("min_class_share")).isLessThanOrEqualTo(0.1);
        assertThat(cell.applyAsDouble("max_class_share")).isGreaterThanOrEqualTo(0.1);
        assertThat(cell.applyAsDouble("precision")).isBetween(0.0, 1.0);
        assertThat(cell.applyAsDouble("recall")).isBetween(0.0, 1.0);
        assertThat(csv.stream().filter(l -> l.startsWith(good1 + ",")).findFirst().orElseThrow()).contains(",done,");
        assertThat(Files.readString(dir.resolve("summary.md"))).contains("Mean +- std over seeds", "| 2 |");
        String page = Files.readString(dir.resolve("report.html"));
        assertThat(page).contains("<table id=\"summary\">", "sort", good1 + "/samples/epoch-002.png");
        assertThat(dir.resolve(good1).resolve("samples/epoch-002.png")).exists();
    }

    @Test
    void dryRunAndPlanListTheRunsWithoutRunningThem() throws Exception {
        Path file = experiment(tmp.resolve("c.zip"));

        Path exp = tmp.resolve("exp");
        CliRunner.Result dry = CliRunner.run("experiment", "run", file.toString(), "--out", tmp.resolve("x").toString(), "--dry-run");
        CliRunner.Result lines = CliRunner.run("experiment", "plan", file.toString(), "--out", exp.toString(),
                "--gan", "/opt/gan/bin/gan");
        CliRunner.Result slurm = CliRunner.run("experiment", "plan", file.toString(), "--format", "slurm", "--out",
                exp.toString(), "--gan", "/opt/gan/bin/gan", "--cpus-per-task", "2", "--sbatch", "--partition=cpu --mem=2G");

        assertThat(dry.exitCode()).isZero();
        assertThat(dry.out().lines()).hasSize(4);
        assertThat(tmp.resolve("x")).doesNotExist();
        assertThat(lines.out().lines()).hasSize(4).allMatch(l -> l.startsWith("/opt/gan/bin/gan experiment run "
                + file.toAbsolutePath() + " --out " + exp.toAbsolutePath() + " --only conditional=true_"));
        assertThat(slurm.out()).contains("#SBATCH --array=0-3", "#SBATCH --cpus-per-task=2", "#SBATCH --partition=cpu",
                "#SBATCH --mem=2G", "#SBATCH --output=" + exp.toAbsolutePath().resolve("logs"), "GAN_THREADS=\"${SLURM_CPUS_PER_TASK",
                "--only \"${runs[$SLURM_ARRAY_TASK_ID]}\"");
        assertThat(exp.resolve("logs")).as("the folder sbatch writes the logs into").isDirectory();
        assertThat(Json.MAPPER.readTree(exp.resolve("experiment.json").toFile()).get("runs").size()).isEqualTo(4);
    }

    @Test
    void everyOptionCanComeFromAGanEnvironmentVariableOrAnArgFile() throws Exception {
        java.io.StringWriter err = new java.io.StringWriter();
        int code = GanCli.newCommandLine(new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err),
                java.util.Map.of("GAN_EPOCHS", "0")).execute("train");
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("Invalid value for option '--epochs': must be positive, got 0");

        Path args = Files.writeString(tmp.resolve("args"), "--epochs\n0\n");
        CliRunner.Result fromFile = CliRunner.run("train", "@" + args);
        assertThat(fromFile.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(fromFile.err()).contains("Invalid value for option '--epochs': must be positive, got 0");
        assertThat(EnvironmentDefaults.variableFor("--lr-d")).isEqualTo("GAN_LR_D");
    }

    @Test
    void aKeyThatIsNoTrainOptionIsNamedWithItsLineAndTheOptionsItResembles() throws Exception {
        Path typo = Files.writeString(tmp.resolve("typo.yaml"), "name: e\nbase: {epochs: 1}\ngrid: {lr-gg: [1, 2]}\n");
        Path unknown = Files.writeString(tmp.resolve("unknown.yaml"), "name: e\nbase: {epochs: 1, frobnicate: 3}\n");

        CliRunner.Result nearMiss = CliRunner.run("experiment", "run", typo.toString(), "--dry-run");
        CliRunner.Result farOff = CliRunner.run("experiment", "run", unknown.toString(), "--dry-run");

        assertThat(nearMiss.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(nearMiss.err().strip()).isEqualTo("gan experiment run: " + typo
                + ":3: 'lr-gg' is not a gan train option (did you mean lr-g?)");
        assertThat(farOff.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(farOff.err().strip()).isEqualTo("gan experiment run: " + unknown
                + ":2: 'frobnicate' is not a gan train option");
    }

    @Test
    void reportOfAnExperimentWhosePlanIsDamagedNamesTheFileAndWhereItBreaks() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("damaged"));
        Files.writeString(dir.resolve("experiment.json"), "{\"runs\": {");

        CliRunner.Result r = CliRunner.run("experiment", "report", dir.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains(dir.resolve("experiment.json") + ": not readable JSON (", "at line 1")
                .doesNotContain("REDACTED");
        assertThat(dir.resolve("summary.md")).doesNotExist();
    }

    @Test
    void threadsAboveTheCoresARunWillHaveAreRefusedUpFrontNamingTheLine() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        Path file = Files.writeString(tmp.resolve("threads.yaml"), "name: threads\nbase:\n  limit: 100\n  epochs: 1\n"
                + "  threads: " + (cores + 1) + "\ngrid:\n  seed: [1, 2]\n");
        Path exp = tmp.resolve("exp");

        CliRunner.Result run = CliRunner.run("experiment", "run", file.toString(), "--out", exp.toString());
        CliRunner.Result plan = CliRunner.run("experiment", "plan", file.toString(), "--out", exp.toString(),
                "--cpus-per-task", Integer.toString(cores));
        CliRunner.Result wide = CliRunner.run("experiment", "plan", file.toString(), "--out", exp.toString(),
                "--cpus-per-task", Integer.toString(cores + 1));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("threads.yaml:5: Invalid value for option '--threads': " + (cores + 1)
                + " is more than the " + cores + " cores gan may use here");
        assertThat(plan.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(plan.err()).contains("threads.yaml:5:", "more than the " + cores + " cores of --cpus-per-task");
        assertThat(wide.exitCode()).as("a scheduler's task may have more cores than this machine").isZero();
        assertThat(wide.out().lines()).hasSize(2);
    }
}
