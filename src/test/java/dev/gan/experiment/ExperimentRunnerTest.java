package dev.gan.experiment;

import dev.gan.run.RunLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExperimentRunnerTest {

    @TempDir
    Path tmp;

    /**
     * A run on the test digits alone is judged against them: eval is left to read the run's own data (folder
     * and split) instead of being handed --data without the split, which sent it off to find, or download,
     * the training set when it had to train its classifier.
     */
    @Test
    void evalOfARunJudgesItAgainstTheDataItTrainedOn() throws Exception {
        Path file = Files.writeString(tmp.resolve("exp.yaml"), """
                name: own-data
                base:
                  data: /some/mnist
                  split: test
                  epochs: 1
                runs:
                  - {}
                eval:
                  count: 100
                """);
        Experiment experiment = Experiment.read(file);
        List<List<String>> started = new ArrayList<>();
        ExperimentRunner runner = new ExperimentRunner((args, log, environment) -> {
            started.add(args);
            if (args.get(0).equals("train")) {
                Path out = Path.of(args.get(args.indexOf("--out") + 1));
                Files.createDirectories(out);
                Files.writeString(out.resolve(RunLayout.GENERATOR), "");
            }
            return new ProcessBuilder("true").start();
        }, 1, line -> { });

        List<ExperimentRunner.Outcome> outcomes = runner.run(experiment, experiment.plan(args -> null), tmp.resolve("out"));

        assertThat(outcomes).extracting(ExperimentRunner.Outcome::status).containsExactly("done");
        assertThat(started).hasSize(2);
        assertThat(started.get(0)).contains("train", "--data", "/some/mnist", "--split", "test");
        assertThat(started.get(1)).startsWith("eval", "--run").doesNotContain("--data", "--split", "--dataset");
    }
}
