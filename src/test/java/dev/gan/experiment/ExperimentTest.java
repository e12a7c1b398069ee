package dev.gan.experiment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExperimentTest {

    @TempDir
    Path tmp;

    /** A stand-in for gan train's own validation: rejects unknown options and non-positive rates. */
    private static final Function<List<String>, String> VALIDATE = args -> {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--learning-rate")) {
                return "Unknown option: '--learning-rate'";
            }
            if (a.equals("--lr-g") && Double.parseDouble(args.get(i + 1)) <= 0) {
                return "Invalid option: lr-g must be positive and finite, got " + args.get(i + 1);
            }
        }
        return null;
    };

    private Path file(String yaml) throws Exception {
        return Files.writeString(tmp.resolve("exp.yaml"), yaml);
    }

    @Test
    void theGridIsACartesianProductCrossedWithTheExplicitRuns() throws Exception {
        Experiment e = Experiment.read(file("""
                name: sweep
                base:
                  epochs: 20
                  conditional: true
                grid:
                  lr-g: [2e-4, 1e-3]
                  seed: [1, 2, 3]
                runs:
                  - {beta1: 0.5}
                  - {beta1: 0.9}
                """));

        List<Experiment.PlannedRun> runs = e.plan(VALIDATE);

        assertThat(runs).hasSize(12);
        assertThat(runs).extracting(Experiment.PlannedRun::name).doesNotHaveDuplicates()
                .contains("beta1=0.5_lr-g=0.0002_seed=1", "beta1=0.9_lr-g=0.001_seed=3");
        assertThat(runs.get(0).trainArguments())
                .containsExactly("--epochs", "20", "--conditional", "--beta1", "0.5", "--lr-g", "0.0002", "--seed", "1");
        assertThat(e.name()).isEqualTo("sweep");
    }

    @Test
    void namesAreStableAcrossReads() throws Exception {
        Path f = file("grid: {seed: [1, 2], hidden: [64]}\n");

        assertThat(Experiment.read(f).plan(VALIDATE)).extracting(Experiment.PlannedRun::name)
                .containsExactly("hidden=64_seed=1", "hidden=64_seed=2");
        assertThat(Experiment.read(f).plan(VALIDATE)).extracting(Experiment.PlannedRun::name)
                .containsExactly("hidden=64_seed=1", "hidden=64_seed=2");
    }

    @Test
    void anUnknownOptionFailsNamingItsLine() throws Exception {
        Path f = file("base:\n  epochs: 2\ngrid:\n  learning-rate: [1]\n");

        assertThatThrownBy(() -> Experiment.read(f).plan(VALIDATE))
                .isInstanceOf(ExperimentException.class)
                .hasMessage(f + ":4: Unknown option: '--learning-rate'");
    }

    @Test
    void aBadValueFailsNamingItsLine() throws Exception {
        Path f = file("base:\n  epochs: 2\ngrid:\n  seed: [1]\n  lr-g: [2e-4, -1]\n");

        assertThatThrownBy(() -> Experiment.read(f).plan(VALIDATE))
                .hasMessageStartingWith(f + ":5: ").hasMessageContaining("lr-g must be positive");
    }

    @Test
    void unknownSectionsReservedKeysAndBrokenYamlAreRefused() throws Exception {
        assertThatThrownBy(() -> Experiment.read(file("base: {}\nbogus: 1\n")))
                .hasMessage(tmp.resolve("exp.yaml") + ":2: unknown section 'bogus' (expected name, base, grid, runs, eval)");
        assertThatThrownBy(() -> Experiment.read(file("base:\n  out: somewhere\n")).plan(VALIDATE))
                .hasMessageContaining(":2: 'out' is set by gan experiment itself");
        assertThatThrownBy(() -> Experiment.read(file("base: [1, 2\n")))
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void theEvalSectionTakesACountAndAClassifierAndNothingElse() throws Exception {
        assertThatThrownBy(() -> Experiment.read(file("base: {}\neval:\n  count: 500\n  cuont: 1\n")))
                .hasMessage(tmp.resolve("exp.yaml") + ":4: 'cuont' is not an eval setting (expected count, classifier)");
        assertThatThrownBy(() -> Experiment.read(file("base: {}\neval: {count: lots}\n")))
                .hasMessageStartingWith(tmp.resolve("exp.yaml") + ":2: eval count must be a positive whole number");
        assertThatThrownBy(() -> Experiment.read(file("base: {}\neval: {count: 2.5}\n")))
                .hasMessageContaining("eval count must be a positive whole number, got 2.5");
        assertThatThrownBy(() -> Experiment.read(file("base: {}\neval: 1000\n")))
                .hasMessage(tmp.resolve("exp.yaml") + ":2: eval must be a mapping such as {count: 10000}");
    }

    @Test
    void aBadValueUnderRunsIsReportedOnItsOwnLineNotWhereBaseSetsTheSameKey() throws Exception {
        Path f = file("""
                name: lines
                base:
                  epochs: 2
                  lr-g: 0.001
                  seed: 1
                runs:
                  - seed: 2
                  - seed: 3
                  -
                    seed: 4
                    lr-g: -1
                """);

        assertThatThrownBy(() -> Experiment.read(f).plan(VALIDATE))
                .hasMessageStartingWith(f + ":11: ").hasMessageContaining("lr-g must be positive");
    }

    @Test
    void aKeyGivenTwiceIsAnErrorNotTheLastValue() throws Exception {
        Path f = file("""
                base:
                  epochs: 2
                  epochs: 20
                """);

        assertThatThrownBy(() -> Experiment.read(f)).isInstanceOf(ExperimentException.class)
                .hasMessageStartingWith(f + ":3").hasMessageContaining("Duplicate field 'epochs'");
    }

    @Test
    void aGridValueListedTwiceIsAnErrorNotTwoIdenticalRuns() throws Exception {
        Path f = file("""
                base:
                  epochs: 2
                grid:
                  lr-g: [2e-4, 1e-3]
                  seed: [1, 2, 1]
                """);

        assertThatThrownBy(() -> Experiment.read(f)).isInstanceOf(ExperimentException.class)
                .hasMessage(f + ":5: grid 'seed' lists 1 twice: both would train the very same runs "
                        + "(repeats need other seeds)");
    }

    @Test
    void aRunsEntryThatRepeatsAnotherIsAnErrorNamingBoth() throws Exception {
        Path f = file("""
                base:
                  epochs: 2
                runs:
                  - {beta1: 0.5}
                  - {beta1: 0.9}
                  - {beta1: 0.5}
                """);

        assertThatThrownBy(() -> Experiment.read(f).plan(VALIDATE)).isInstanceOf(ExperimentException.class)
                .hasMessage(f + ":6: runs entry 3 repeats entry 1: both would train the very same runs "
                        + "(repeats need other seeds)");
    }

    @Test
    void aNameThatIsNotOnePlainFolderNameIsRefused() throws Exception {
        for (String name : List.of("../../etc/x", "a/b", "..", ".hidden", "/abs", "a".repeat(101))) {
            Path f = file("name: '" + name + "'\nbase: {epochs: 1}\n");

            assertThatThrownBy(() -> Experiment.read(f)).as(name).isInstanceOf(ExperimentException.class)
                    .hasMessageStartingWith(f + ":1: ").hasMessageContaining("one plain folder name");
        }
    }

    @Test
    void theSummaryTableHasAsManyHeaderCellsAsRowCellsWhenNoSettingIsKnown() throws Exception {
        ExperimentReport.Row row = new ExperimentReport.Row("seed=1", java.util.Map.of(), "done", 0.5, 1.5, 9.0, 20.0,
                0.8, 0.7, null, null, 10.0, 0.08, 0.12, 3.0);

        String markdown = ExperimentReport.write(tmp, List.of(row));

        List<String> table = markdown.lines().limit(3).toList();
        assertThat(table.get(1).chars().filter(c -> c == '|').count())
                .isEqualTo(table.get(0).chars().filter(c -> c == '|').count())
                .isEqualTo(table.get(2).chars().filter(c -> c == '|').count());
        assertThat(table.get(0)).doesNotContain("|  |");
    }
}
