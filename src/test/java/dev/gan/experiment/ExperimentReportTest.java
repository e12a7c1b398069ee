package dev.gan.experiment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The summary's mean +- std table: one row per group of runs that differ only in their seed. */
class ExperimentReportTest {

    private static ExperimentReport.Row row(Map<String, String> settings, double score) {
        return new ExperimentReport.Row(settings.toString(), settings, "done", null, null, score, null, null, null,
                null, null, null, null, null, 60);
    }

    @Test
    void runsWithOnlyTheBaseSettingsFormAGroupNamedSoBesideTheVariedOnes() {
        List<ExperimentReport.Row> rows = List.of(
                row(Map.of("seed", "1"), 7.0), row(Map.of("seed", "2"), 8.0),
                row(Map.of("seed", "1", "ema", "0.999"), 9.0), row(Map.of("seed", "2", "ema", "0.999"), 9.0));

        String table = ExperimentReport.groups(rows, List.of("ema", "seed"));

        assertThat(table).contains("| (base settings) | 2 |", "7.5000 +- 0.7071", "| {ema=0.999} | 2 |", "9.0000 +- 0.0000");
        assertThat(table).doesNotContain("(all)");
    }

    @Test
    void theWorstDigitIsTheWorstOfTheDigitsSamplesWereMeantToBe(@TempDir Path dir) throws Exception {
        Path run = Files.createDirectories(dir.resolve("few-samples"));
        Files.writeString(run.resolve("config.json"), "{}");
        Files.writeString(run.resolve("eval.json"), """
                {"report": {"count": 3, "classifierScore": 1.5, "frechetDistance": 300.0,
                 "classHistogram": [1, 1, 1, 0], "labelAccuracy": 0.6667,
                 "labelAccuracyPerDigit": [1.0, 0.5, null, null]}}""");

        ExperimentReport.Row row = ExperimentReport.collect(dir).get(0);

        assertThat(row.worstDigitAccuracy()).as("digits no sample was meant to be are no figure, not 0").isEqualTo(0.5);
    }
}
