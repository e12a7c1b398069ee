package dev.gan.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Suggestions for a mistyped name: names a few edits away, nearest first, and nothing for a word far from all. */
class ResemblanceTest {

    private static final List<String> COMMANDS = List.of("train", "sample", "eval", "export", "classifier",
            "experiment", "report", "bench", "info", "completion", "help");

    @Test
    void aSwapADroppedOrAnAddedLetterIsOneEdit() {
        assertThat(Resemblance.distance("trian", "train")).isEqualTo(1);
        assertThat(Resemblance.distance("epoch", "epochs")).isEqualTo(1);
        assertThat(Resemblance.distance("countt", "count")).isEqualTo(1);
        assertThat(Resemblance.distance("lr-d", "lr-g")).isEqualTo(1);
        assertThat(Resemblance.distance("", "abc")).isEqualTo(3);
    }

    @Test
    void namesAThirdOfTheWordAwayAreSuggestedNearestFirstAndFarOnesNot() {
        assertThat(Resemblance.near("trian", COMMANDS)).containsExactly("train");
        assertThat(Resemblance.near("nonsense", COMMANDS)).isEmpty();
        assertThat(Resemblance.near("xyz", COMMANDS)).isEmpty();
        assertThat(Resemblance.near("--lr-gg", List.of("--lr-d", "--lr-g", "-h", "--help"))).containsExactly("--lr-g");
        assertThat(Resemblance.near("--conditionl", List.of("--conditional", "--condition", "--seed")))
                .containsExactly("--condition", "--conditional");
        assertThat(Resemblance.near("train", COMMANDS)).as("the name itself is no suggestion").isEmpty();
    }
}
