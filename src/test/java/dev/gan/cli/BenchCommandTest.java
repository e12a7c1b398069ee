package dev.gan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code gan bench --arch lenet}: the digit classifier's training step, timed as the GANs' are. */
class BenchCommandTest {

    @Test
    void lenetTimesTheClassifierStepAtItsOwnBatchWithBothEngines() throws Exception {
        CliRunner.Result r = CliRunner.run("bench", "--arch", "lenet", "--engine", "both", "--warmup", "1",
                "--iterations", "2", "--repeats", "1", "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> rows = r.out().strip().lines().toList();
        assertThat(rows).hasSize(2);
        JsonNode direct = dev.gan.util.Json.MAPPER.readTree(rows.get(0));
        JsonNode graph = dev.gan.util.Json.MAPPER.readTree(rows.get(1));
        assertThat(direct.get("model").asText()).isEqualTo("classifier");
        assertThat(graph.get("model").asText()).isEqualTo("classifier graph");
        for (JsonNode row : List.of(direct, graph)) {
            assertThat(row.get("arch").asText()).isEqualTo("lenet");
            assertThat(row.get("batch_size").asInt()).isEqualTo(64);
            assertThat(row.has("hidden")).isFalse();
            assertThat(row.get("median_ms_per_iteration").asDouble()).isPositive();
            // conv1 2*1*20*25*24*24 + conv2 2*20*50*25*8*8 + dense 2*800*128 multiply-adds an image, forward,
            // three forward passes' worth a step, 64 images.
            assertThat(row.get("gflop_per_iteration").asDouble()).isCloseTo(3 * 64 * 3_980_800 / 1e9, within(1e-6));
        }
    }

    @Test
    void lenetTakesTheBatchSizeItIsGiven() throws Exception {
        CliRunner.Result r = CliRunner.run("bench", "--arch", "lenet", "--batch-size", "16", "--warmup", "1",
                "--iterations", "1", "--repeats", "1", "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(dev.gan.util.Json.MAPPER.readTree(r.out().strip()).get("batch_size").asInt()).isEqualTo(16);
    }

    @Test
    void lenetRefusesTheGanOnlyOptionsByName() {
        for (String[] option : new String[][] {{"--model", "plain"}, {"--hidden", "32"}}) {
            CliRunner.Result r = CliRunner.run("bench", "--arch", "lenet", option[0], option[1]);

            assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err().strip()).contains(option[0] + " does not apply to --arch lenet").doesNotContain("\n");
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void lenetRefusesABatchTooLargeForTheHeapBeforeTiming() {
        CliRunner.Result r = CliRunner.run("bench", "--arch", "lenet", "--batch-size", "100000000");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("batch size 100000000 too large").doesNotContain("Exception");
        assertThat(r.out()).isEmpty();
    }
}
