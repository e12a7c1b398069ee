package dev.gan.engine;

import dev.gan.config.Engine;
import dev.gan.config.GanConfig;
import dev.gan.config.LossKind;
import dev.gan.train.GanTrainer;
import dev.gan.train.IterationStats;
import dev.gan.train.SideBySide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The hand-written MLP iteration trains what DL4J's graph methods train, to float rounding. */
class DirectMlpStepTest {

    private static final int BATCH = 12;

    /** A recipe at this test's small sizes (set after it: the improved recipes widen the MLPs to 768-1024 units). */
    private static GanConfig.Builder config(boolean conditional, String recipe) {
        return GanConfig.reference(conditional).recipe(recipe).option("hidden", 24).option("noise-dim", 10)
                .option("batch-size", BATCH).option("seed", 5);
    }

    private static GanConfig.Builder config(boolean conditional) {
        return config(conditional, "reference");
    }

    private static GanTrainer trainer(GanConfig config) {
        return SideBySide.trainer(config, 5, 6);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "plain reference           | false | reference | 1 | 0   | 1 | 0   | BCE",
            "conditional reference     | true  | reference | 1 | 0   | 1 | 0   | BCE",
            "plain improved (pack 4)   | false | improved  | 4 | 0   | 1 | 0   | BCE",
            "conditional improved      | true  | improved  | 1 | 0   | 1 | 0.1 | BCE",
            "conditional, pack 2, leaky D, label scale 3 | true | reference | 2 | 0.2 | 3 | 0 | BCE",
            "plain, minimax loss, leaky D | false | reference | 1 | 0.2 | 1 | 0 | MINIMAX",
            "conditional, hinge loss, pack 2 | true | reference | 2 | 0.2 | 1 | 0 | HINGE"})
    void trainsWhatTheGraphPathTrains(String name, boolean conditional, String recipe, int pack, double leaky,
                                      double labelScale, double smoothing, LossKind loss) {
        GanConfig config = config(conditional, recipe).option("pack", pack).option("leaky-relu", leaky)
                .option("label-scale", labelScale)
                .option("label-smoothing", smoothing).option("loss", loss).option("lr-d", 1e-2).option("lr-g", 1e-2).build();
        GanTrainer direct = trainer(config);
        GanTrainer graph = trainer(config.toBuilder().option("engine", Engine.GRAPH).build());
        assertThat(direct.direct()).isTrue();
        assertThat(graph.direct()).isFalse();

        for (int i = 0; i < 6; i++) {
            IterationStats a = direct.step(i, 0);
            IterationStats b = graph.step(i, 0);
            assertThat(a.dLoss()).as("D loss at %d", i).isCloseTo(b.dLoss(), within(1e-4));
            assertThat(a.gLoss()).as("G loss at %d", i).isCloseTo(b.gLoss(), within(1e-4));
            assertThat(a.dReal()).as("D(real) at %d", i).isCloseTo(b.dReal(), within(1e-5));
            assertThat(a.dFake()).as("D(fake) at %d", i).isCloseTo(b.dFake(), within(1e-5));
        }

        assertThat(SideBySide.maxRelativeDifference(direct.generator().params(), graph.generator().params())).isLessThan(1e-4);
        assertThat(SideBySide.maxRelativeDifference(direct.discriminator().params(), graph.discriminator().params())).isLessThan(1e-4);
        INDArray gState = direct.generator().getUpdater().getStateViewArray();
        assertThat(SideBySide.maxRelativeDifference(gState, graph.generator().getUpdater().getStateViewArray())).isLessThan(1e-3);
        INDArray dState = direct.discriminator().getUpdater().getStateViewArray();
        assertThat(SideBySide.maxRelativeDifference(dState, graph.discriminator().getUpdater().getStateViewArray())).isLessThan(1e-3);
    }

    @Test
    void dropoutInTheMlpDTrainsThroughTheGraphs() {
        assertThat(trainer(config(false).option("dropout-d", 0.3).build()).direct()).isFalse();
    }
}
