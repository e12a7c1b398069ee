package dev.gan.engine;

import dev.gan.config.Engine;
import dev.gan.config.GanConfig;
import dev.gan.model.Architecture;
import dev.gan.model.NoiseKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What each engine trains, said in one place and worded the same for every setting it does not. */
class EnginesTest {

    @Test
    void withoutAnEngineNamedARunTakesTheDirectOneWhereItTrainsTheSettings() {
        GanConfig plain = GanConfig.reference(false).build();
        GanConfig dropout = GanConfig.reference(false).option("dropout-d", 0.3).build();
        GanConfig dcganDropout = GanConfig.reference(false).arch(Architecture.DCGAN).option("dropout-d", 0.3).build();

        assertThat(Engines.preferred(plain)).isEqualTo(Engine.DIRECT);
        assertThat(Engines.preferred(dropout)).isEqualTo(Engine.GRAPH);
        assertThat(Engines.preferred(dcganDropout)).isEqualTo(Engine.DIRECT);
    }

    @Test
    void anEngineThatDoesNotTrainASettingIsNamedWithTheSettingAndTheEngineThatDoes() {
        GanConfig dropout = GanConfig.reference(false).option("dropout-d", 0.3).option("engine", Engine.DIRECT).build();
        GanConfig info = GanConfig.reference(false).arch(Architecture.DCGAN).option("noise", NoiseKind.CATEGORICAL)
                .option("info-weight", 1.0).option("engine", Engine.GRAPH).build();

        assertThat(Engines.problem(dropout))
                .isEqualTo("--engine direct does not train --dropout-d with --arch mlp (--engine graph does)");
        assertThat(Engines.problem(info)).isEqualTo("--engine graph does not train --info-weight (--engine direct does)");
        assertThat(Engines.problem(info.withEngine(Engine.DIRECT))).isNull();
        assertThat(Engines.problem(GanConfig.reference(true).build().withEngine(Engine.GRAPH))).isNull();
    }

    @Test
    void spectralNormAndAugmentationAreTheDcgansDirectEnginesAndRefusedElsewhereByName() {
        GanConfig dcgan = GanConfig.reference(false).arch(Architecture.DCGAN).option("spectral-norm", true)
                .option("augment", "translation,cutout").build();
        GanConfig mlpNorm = GanConfig.reference(false).option("spectral-norm", true).build();
        GanConfig mlpAugment = GanConfig.reference(false).option("augment", "cutout").build();

        assertThat(Engines.preferred(dcgan)).isEqualTo(Engine.DIRECT);
        assertThat(Engines.problem(dcgan)).isNull();
        assertThat(Engines.problem(dcgan.withEngine(Engine.GRAPH)))
                .isEqualTo("--engine graph does not train --spectral-norm (--engine direct does)");
        assertThat(Engines.problem(mlpNorm.withEngine(Engines.preferred(mlpNorm))))
                .isEqualTo("--spectral-norm with --arch mlp: no engine trains it (the DCGAN's direct engine does)");
        assertThat(Engines.problem(mlpAugment.withEngine(Engine.DIRECT)))
                .isEqualTo("--augment with --arch mlp: no engine trains it (the DCGAN's direct engine does)");
    }
}
