package dev.gan.run;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** When a run is said to have collapsed, and when not. */
class CollapseWatchTest {

    private static final double HEALTHY_SPREAD = 0.15;

    @Test
    void theDiscriminatorWinsOutrightOnlyAfterSeveralEpochsOfDOfGNearZero() {
        CollapseWatch watch = new CollapseWatch();

        assertThat(watch.afterEpoch(0.0005, HEALTHY_SPREAD, 1000)).isEqualTo(CollapseWatch.Verdict.NONE);
        assertThat(watch.afterEpoch(0.0004, HEALTHY_SPREAD, 1000)).isEqualTo(CollapseWatch.Verdict.NONE);
        assertThat(watch.afterEpoch(0.0001, HEALTHY_SPREAD, 1000)).isEqualTo(CollapseWatch.Verdict.D_WINS);
        assertThat(watch.afterEpoch(0.2, HEALTHY_SPREAD, 1000)).as("recovered").isEqualTo(CollapseWatch.Verdict.NONE);
    }

    @Test
    void aDipThatDoesNotLastIsNoCollapse() {
        CollapseWatch watch = new CollapseWatch();
        double[] dFake = {0.0005, 0.0005, 0.05, 0.0005, 0.0005, 0.05};

        for (double d : dFake) {
            assertThat(watch.afterEpoch(d, HEALTHY_SPREAD, 1000)).isEqualTo(CollapseWatch.Verdict.NONE);
        }
    }

    @Test
    void aResumedRunCountsTheEpochsBeforeItsCheckpoint() {
        CollapseWatch resumed = new CollapseWatch(new double[] {0.3, 0.0002, 0.0001});

        assertThat(resumed.afterEpoch(0.0001, HEALTHY_SPREAD, 1000)).isEqualTo(CollapseWatch.Verdict.D_WINS);
    }

    @Test
    void identicalSamplesAreAlikeAndVariedOnesAreNot() {
        int n = 100;
        int size = 784;
        float[] same = new float[n * size];
        float[] varied = new float[n * size];
        Random random = new Random(1);
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < size; p++) {
                same[i * size + p] = p % 7 == 0 ? 1f : 0f;
                varied[i * size + p] = random.nextFloat() < 0.2 ? 1f : 0f;
            }
        }

        assertThat(CollapseWatch.spread(same, n, size)).isZero();
        assertThat(CollapseWatch.spread(varied, n, size)).isGreaterThan(0.3); // sqrt(0.2 * 0.8)
        CollapseWatch watch = new CollapseWatch();
        double alike = CollapseWatch.spread(same, n, size);
        assertThat(watch.afterEpoch(0.3, alike, 1000)).as("one epoch, as a healthy first epoch can be")
                .isEqualTo(CollapseWatch.Verdict.NONE);
        assertThat(watch.afterEpoch(0.3, alike, 2000)).isEqualTo(CollapseWatch.Verdict.NONE);
        assertThat(watch.afterEpoch(0.3, alike, 3000)).isEqualTo(CollapseWatch.Verdict.SAMPLES_ALIKE);
        assertThat(new CollapseWatch().afterEpoch(0.3, CollapseWatch.spread(same, n, size), 100))
                .as("an untrained G draws one grey image: not yet a collapse").isEqualTo(CollapseWatch.Verdict.NONE);
    }

    @Test
    void eachVerdictIsReportedOnceWithWhatToTry() {
        CollapseWatch watch = new CollapseWatch();

        assertThat(watch.firstReport(CollapseWatch.Verdict.NONE)).isFalse();
        assertThat(watch.firstReport(CollapseWatch.Verdict.D_WINS)).isTrue();
        assertThat(watch.firstReport(CollapseWatch.Verdict.D_WINS)).isFalse();
        assertThat(CollapseWatch.describe(CollapseWatch.Verdict.D_WINS, 7)).contains("epoch 7", "--seed", "--beta1");
        assertThat(CollapseWatch.describe(CollapseWatch.Verdict.SAMPLES_ALIKE, 7)).contains("alike", "--seed");
    }
}
