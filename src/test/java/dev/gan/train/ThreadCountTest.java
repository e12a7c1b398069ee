package dev.gan.train;

import dev.gan.config.GanConfig;
import dev.gan.model.Architecture;
import dev.gan.system.Threads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The thread count changes how fast a run trains, not what it learns: split multiplies and oneDNN's convolutions
 * on 2 threads sum in another order, so a run on 2 threads agrees with one on 1 to float rounding (one thread
 * gives the bits it always gave: nothing is split).
 */
class ThreadCountTest {

    @AfterEach
    void oneThreadAgain() {
        Threads.use(1);
    }

    private static GanTrainer trained(GanConfig config, int threads, double[] losses) {
        Threads.use(threads);
        GanTrainer trainer = SideBySide.trainer(config, 28, 28);
        for (int i = 0; i < 5; i++) {
            IterationStats stats = trainer.step(i, 0);
            losses[0] = stats.dLoss();
            losses[1] = stats.gLoss();
        }
        return trainer;
    }

    @ParameterizedTest(name = "{0} conditional={1}")
    @CsvSource({"MLP,false", "MLP,true", "DCGAN,false", "DCGAN,true"})
    void twoThreadsTrainWhatOneThreadTrainsToFloatRounding(Architecture arch, boolean conditional) {
        GanConfig config = GanConfig.reference(conditional).arch(arch).build();
        double[] one = new double[2];
        double[] two = new double[2];

        GanTrainer single = trained(config, 1, one);
        GanTrainer split = trained(config, 2, two);

        assertThat(SideBySide.maxRelativeDifference(split.generator().params(), single.generator().params()))
                .isLessThan(1e-3);
        assertThat(two[0]).isCloseTo(one[0], within(1e-5 * Math.max(1, Math.abs(one[0]))));
        assertThat(two[1]).isCloseTo(one[1], within(1e-5 * Math.max(1, Math.abs(one[1]))));
    }
}
