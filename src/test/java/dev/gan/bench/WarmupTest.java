package dev.gan.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WarmupTest {

    @Test
    void autoAndANumberAreTheTwoWaysToAskForAWarmUp() {
        assertThat(Warmup.parse("auto")).isEqualTo(Warmup.AUTO);
        assertThat(Warmup.parse(" AUTO ")).isEqualTo(Warmup.AUTO);
        assertThat(Warmup.parse("12")).isEqualTo(new Warmup(12, false));
        assertThat(Warmup.parse("0")).isEqualTo(new Warmup(0, false));
    }

    @Test
    void anythingElseIsRefusedWithWhatWasGiven() {
        assertThatThrownBy(() -> Warmup.parse("soon")).hasMessageContaining("'soon'");
        assertThatThrownBy(() -> Warmup.parse("-1")).hasMessageContaining("-1");
    }

    @Test
    void aFixedCountRunsExactlyThatManyIterationsAndDoesNotAskTheJit() {
        List<Integer> seen = new ArrayList<>();

        Warmup.Done done = new Warmup(7, false).run(seen::add);

        assertThat(seen).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(done.iterations()).isEqualTo(7);
        assertThat(done.jitSettled()).isNull();
    }

    @Test
    void autoRunsItsMinimumThenWholeBlocksUntilTheJitHasSettled() {
        List<Integer> seen = new ArrayList<>();

        Warmup.Done done = Warmup.AUTO.run(i -> {
            seen.add(i);
            sleepMillis(5);
        });

        // At least the minimum and one block of at least a second after it, numbered without gaps.
        assertThat(done.iterations()).isEqualTo(seen.size()).isGreaterThanOrEqualTo(
                Warmup.AUTO.minIterations() + Warmup.BLOCK_ITERATIONS);
        assertThat(seen.get(seen.size() - 1)).isEqualTo(seen.size() - 1);
        assertThat(done.seconds()).isGreaterThanOrEqualTo(Warmup.BLOCK_NANOS / 1e9);
        // An iteration that only sleeps gives the JIT nothing new to compile for long: it settles.
        assertThat(done.jitSettled()).isTrue();
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
