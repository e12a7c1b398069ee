package dev.gan.train;

import dev.gan.config.GanConfig;
import dev.gan.model.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The third part of a training option, its use: changing any setting the training steps read changes what three
 * steps compute. A setting added to the configuration must be listed here, either with a change to try or as one
 * the run uses around the steps, or {@link #everySettingIsListedOnce} fails.
 */
class EverySettingIsUsedTest {

    /**
     * Settings the run reads around the steps (TrainingRun, the data, the schedule), with where; and the engine,
     * which changes how the steps compute, not what (to float rounding: DirectMlpStepTest, DirectDcganStepTest).
     */
    private static final Map<String, String> USED_AROUND_THE_STEPS = Map.ofEntries(
            Map.entry("epochs", "TrainingRun: how long"), Map.entry("sampleEvery", "TrainingRun: when grids are drawn"),
            Map.entry("checkpointEvery", "TrainingRun: when checkpoints are written"),
            Map.entry("sampleScale", "ImageGrid: grid pixels"),
            Map.entry("evalEvery", "TrainingRun: when quality is measured"),
            Map.entry("dataset", "DataFiles: which files"), Map.entry("dataDir", "DataFiles: where"),
            Map.entry("split", "DataFiles: which split"), Map.entry("limit", "TrainingRun: how many images"),
            Map.entry("dSteps", "TrainingRun: D updates per G update"),
            Map.entry("engine", "Engines: how the steps compute (theEngineReachesTheTrainer)"));

    private static GanConfig.Builder mlp(boolean conditional) {
        return GanConfig.reference(conditional).option("batch-size", 8).option("hidden", 16).option("noise-dim", 8)
                .option("weight-init", "xavier");
    }

    private static GanConfig.Builder dcgan() {
        return GanConfig.reference(false).arch(Architecture.DCGAN).option("batch-size", 8).option("hidden", 8)
                .option("noise", "categorical").option("noise-dim", 16);
    }

    /** (setting, a start, the option that changes it, its new value). */
    static Stream<Arguments> changes() {
        Supplier<GanConfig.Builder> plain = () -> mlp(false);
        Supplier<GanConfig.Builder> conditional = () -> mlp(true);
        Supplier<GanConfig.Builder> dcgan = EverySettingIsUsedTest::dcgan;
        return Stream.of(
                Arguments.of("arch", plain, "arch", Architecture.DCGAN),
                Arguments.of("conditional", plain, "conditional", true),
                Arguments.of("hidden", plain, "hidden", 24),
                Arguments.of("noiseDim", plain, "noise-dim", 12),
                Arguments.of("noise", plain, "noise", "uniform"),
                Arguments.of("weightInit", plain, "weight-init", "normal"),
                Arguments.of("leakyRelu", plain, "leaky-relu", 0.2),
                Arguments.of("dropoutD", plain, "dropout-d", 0.3),
                Arguments.of("labelScale", conditional, "label-scale", 3.0),
                Arguments.of("lrD", plain, "lr-d", 1e-2),
                Arguments.of("lrG", plain, "lr-g", 1e-2),
                Arguments.of("beta1", plain, "beta1", 0.5),
                Arguments.of("beta2", plain, "beta2", 0.9),
                Arguments.of("loss", plain, "loss", "hinge"),
                Arguments.of("labelSource", conditional, "label-source", "uniform"),
                Arguments.of("labelSmoothing", plain, "label-smoothing", 0.2),
                Arguments.of("ema", plain, "ema", 0.5),
                Arguments.of("pack", plain, "pack", 2),
                Arguments.of("infoWeight", dcgan, "info-weight", 1.0),
                Arguments.of("spectralNorm", dcgan, "spectral-norm", true),
                Arguments.of("augment", dcgan, "augment", "translation"),
                Arguments.of("batchSize", plain, "batch-size", 4),
                Arguments.of("seed", plain, "seed", 7L),
                Arguments.of("recipe", plain, "recipe", "improved-2"));
    }

    @Test
    void everySettingIsListedOnce() {
        Set<String> listed = new HashSet<>(USED_AROUND_THE_STEPS.keySet());
        changes().forEach(change -> assertThat(listed.add((String) change.get()[0])).as("%s listed twice",
                change.get()[0]).isTrue());

        assertThat(listed).isEqualTo(GanConfig.fields());
    }

    @Test
    void theEngineReachesTheTrainer() {
        assertThat(SideBySide.trainer(mlp(false).option("engine", "direct").build(), 8, 8).direct()).isTrue();
        assertThat(SideBySide.trainer(mlp(false).option("engine", "graph").build(), 8, 8).direct()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void changingTheSettingChangesWhatTheStepsCompute(String setting, Supplier<GanConfig.Builder> start, String option,
                                                      Object value) {
        GanConfig before = start.get().build();
        GanConfig after = "recipe".equals(option) ? start.get().recipe((String) value).build()
                : start.get().option(option, value).build();
        assertThat(after).as("the option reaches the setting").isNotEqualTo(before);

        List<Object> one = stepped(before);
        List<Object> two = stepped(after);

        assertThat(two).as(setting).isNotEqualTo(one);
    }

    /** Three steps on the same images; what they leave: G (as sampled from) and D. */
    private static List<Object> stepped(GanConfig config) {
        GanTrainer trainer = SideBySide.trainer(config, 8, 8);
        for (int i = 0; i < 3; i++) {
            trainer.step(i, 0);
        }
        return List.of(trainer.samplingGenerator().params().dup(), trainer.discriminator().params().dup());
    }
}
