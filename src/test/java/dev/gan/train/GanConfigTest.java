package dev.gan.train;

import dev.gan.model.Architecture;
import dev.gan.model.NoiseKind;
import dev.gan.model.WeightInitKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GanConfigTest {

    @Test
    void theImprovedRecipeSmoothsAndWidensBothMlpsAndPacksAndSpeedsUpThePlainOne() {
        GanConfig cgan = GanConfig.reference(true).recipe("improved").build();
        GanConfig plain = GanConfig.reference(false).recipe("improved").build();

        assertThat(cgan.beta1()).isEqualTo(0.5);
        assertThat(cgan.ema()).isEqualTo(0.999);
        assertThat(cgan.lrD()).isEqualTo(1e-3);
        assertThat(cgan.lrG()).isEqualTo(1e-3);
        assertThat(cgan.pack()).isEqualTo(1);
        assertThat(cgan.labelSmoothing()).isEqualTo(0.1);
        assertThat(cgan.hidden()).isEqualTo(768);
        assertThat(cgan.beta2()).isEqualTo(0.99);

        assertThat(plain.beta1()).isEqualTo(0.5);
        assertThat(plain.ema()).isEqualTo(0.999);
        assertThat(plain.lrD()).isEqualTo(2e-3);
        assertThat(plain.lrG()).isEqualTo(2e-3);
        assertThat(plain.pack()).isEqualTo(4);
        assertThat(plain.labelSmoothing()).isEqualTo(0.2);
        assertThat(plain.hidden()).isEqualTo(1024);
        assertThat(plain.beta2()).isEqualTo(0.99);
        assertThat(plain.weightInit()).isEqualTo(WeightInitKind.XAVIER);
        assertThat(plain.noise()).isEqualTo(NoiseKind.UNIFORM);
        assertThat(plain.noiseDim()).isEqualTo(32);
        assertThat(cgan.noiseDim()).isEqualTo(128);
    }

    @Test
    void thePlainDcganTookOnlyWhatBothModelsShareFromImproved9() {
        GanConfig reference = GanConfig.reference(false).arch(Architecture.DCGAN).build();
        GanConfig improved = GanConfig.reference(false).arch(Architecture.DCGAN).recipe("improved-9").build();

        assertThat(improved.ema()).isEqualTo(0.999);
        assertThat(improved.pack()).isEqualTo(4);
        assertThat(improved.hidden()).isEqualTo(reference.hidden());
        assertThat(improved.lrD()).isEqualTo(reference.lrD());
        assertThat(improved.lrG()).isEqualTo(reference.lrG());
        assertThat(improved.beta2()).isEqualTo(reference.beta2());
        assertThat(improved.labelSmoothing()).isZero();
    }

    @Test
    void newRunsUseTheDirectEngineAndRunsRecordedBeforeEnginesExistedResumeOnTheGraphs() throws Exception {
        GanConfig fresh = GanConfig.reference(true).build();
        String json = dev.gan.util.Json.MAPPER.writeValueAsString(fresh);
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) dev.gan.util.Json.MAPPER.readTree(json);
        tree.remove("engine");

        GanConfig recordedBefore = dev.gan.util.Json.MAPPER.treeToValue(tree, GanConfig.class);

        assertThat(fresh.engine()).isEqualTo(Engine.DIRECT);
        assertThat(recordedBefore.engine()).isEqualTo(Engine.GRAPH);
        assertThat(recordedBefore.toBuilder().engine(Engine.DIRECT).build()).isEqualTo(fresh);
    }

    @Test
    void theImprovedRecipesPackingMustFitTheBatchUnlessGivenExplicitly() {
        assertThatThrownBy(() -> GanConfig.reference(false).recipe("improved").batchSize(50).build())
                .hasMessageContaining("--recipe improved-10 packs 4 images per D example, which must divide the batch size 50");
        assertThat(GanConfig.reference(false).recipe("improved").batchSize(50).pack(2).build().pack()).isEqualTo(2);
        assertThat(GanConfig.reference(false).recipe("improved").batchSize(64).build().pack()).isEqualTo(4);
    }

    @Test
    void theImprovedRecipesWidthAndBeta2AreTheMlps() {
        GanConfig dcgan = GanConfig.reference(true).arch(Architecture.DCGAN).recipe("improved").build();
        assertThat(dcgan.hidden()).isEqualTo(GanConfig.DCGAN_CHANNELS);
        assertThat(dcgan.beta2()).isEqualTo(0.999);
        assertThat(GanConfig.reference(true).recipe("improved").hidden(384).build().hidden()).isEqualTo(384);
        assertThat(GanConfig.reference(true).recipe("improved").beta2(0.995).build().beta2()).isEqualTo(0.995);
    }

    @Test
    void theReferenceRecipeIsTheTutorials() {
        GanConfig plain = GanConfig.reference(false).recipe("reference").build();

        assertThat(plain.beta1()).isEqualTo(0.9);
        assertThat(plain.ema()).isZero();
        assertThat(plain.lrD()).isEqualTo(2e-4);
        assertThat(plain.arch()).isEqualTo(Architecture.MLP);
    }

    @Test
    void theDcganBringsItsOwnDefaultsAndExplicitValuesWin() {
        GanConfig dcgan = GanConfig.reference(true).arch(Architecture.DCGAN).hidden(32).build();

        assertThat(dcgan.hidden()).isEqualTo(32);
        assertThat(dcgan.lrD()).isEqualTo(2e-4);
        assertThat(dcgan.beta1()).isEqualTo(0.5);
        assertThat(GanConfig.reference(false).arch(Architecture.DCGAN).build().hidden())
                .isEqualTo(GanConfig.DCGAN_CHANNELS);
    }

    @Test
    void packingMustDivideTheBatch() {
        assertThat(GanConfig.reference(false).pack(4).build().pack()).isEqualTo(4);
        assertThat(GanConfig.reference(false).build().pack()).isEqualTo(1);
        assertThatThrownBy(() -> GanConfig.reference(false).batchSize(100).pack(3).build())
                .hasMessage("pack must divide the batch size 100, got 3");
        assertThatThrownBy(() -> GanConfig.reference(false).pack(0).build())
                .hasMessageContaining("pack must be positive");
    }

    @Test
    void aConfigRecordedBeforeDStepsExistedTakesOneDStepPerGStep() throws Exception {
        String json = dev.gan.util.Json.MAPPER.writeValueAsString(GanConfig.reference(false).build());
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) dev.gan.util.Json.MAPPER.readTree(json);
        tree.remove("dSteps");

        assertThat(dev.gan.util.Json.MAPPER.treeToValue(tree, GanConfig.class).dSteps()).isEqualTo(1);
    }

    @Test
    void notANumberIsOutOfEveryRange() {
        assertThatThrownBy(() -> GanConfig.reference(false).leakyRelu(Double.NaN).build()).hasMessageContaining("leaky-relu");
        assertThatThrownBy(() -> GanConfig.reference(false).ema(Double.NaN).build()).hasMessageContaining("ema");
        assertThatThrownBy(() -> GanConfig.reference(false).labelSmoothing(Double.NaN).build())
                .hasMessageContaining("label-smoothing");
        assertThatThrownBy(() -> GanConfig.reference(false).sampleScale(33).build()).hasMessageContaining("sample-scale");
    }

    @Test
    void improvedIsTheNewestVersionAndTheConfigRecordsWhichOne() {
        GanConfig config = GanConfig.reference(false).recipe("improved").build();

        assertThat(config.recipe()).isEqualTo(Recipe.NEWEST.id()).isEqualTo("improved-10");
        assertThat(GanConfig.reference(false).recipe("improved-10").build()).isEqualTo(config);
    }

    @Test
    void improved10KeepsThePlainDcgansOwnSettingsAndElseIsImproved9() {
        GanConfig dcganReference = GanConfig.reference(false).arch(Architecture.DCGAN).build();
        GanConfig dcgan10 = GanConfig.reference(false).arch(Architecture.DCGAN).recipe("improved-10").build();
        GanConfig dcgan9 = GanConfig.reference(false).arch(Architecture.DCGAN).recipe("improved-9").build();

        assertThat(dcgan10.toBuilder().recipe("reference").build()).isEqualTo(dcganReference);
        assertThat(dcgan9.pack()).isEqualTo(4);
        assertThat(dcgan9.ema()).isEqualTo(0.999);
        for (boolean conditional : new boolean[] {false, true}) {
            for (Architecture arch : Architecture.values()) {
                if (arch == Architecture.DCGAN && !conditional) {
                    continue;
                }
                assertThat(GanConfig.reference(conditional).arch(arch).recipe("improved-10").build()
                        .toBuilder().recipe("improved-9").build())
                        .as("%s, conditional %s", arch, conditional)
                        .isEqualTo(GanConfig.reference(conditional).arch(arch).recipe("improved-9").build());
            }
        }
    }

    @Test
    void anEarlierVersionKeepsWhatItMeantThen() {
        GanConfig four = GanConfig.reference(false).recipe("improved-4").build();
        GanConfig seven = GanConfig.reference(true).recipe("improved-7").build();

        assertThat(four.lrD()).isEqualTo(1e-4);
        assertThat(four.lrG()).isEqualTo(4e-4);
        assertThat(four.pack()).isEqualTo(1);
        assertThat(four.ema()).isEqualTo(0.999);
        assertThat(seven.hidden()).isEqualTo(512);
        assertThat(seven.beta2()).isEqualTo(0.999);
        assertThat(seven.labelSmoothing()).isEqualTo(0.1);
        assertThat(GanConfig.reference(false).recipe("improved-1").build().dropoutD()).isEqualTo(0.3);
    }

    @Test
    void aRecipesExpansionNamesTheOptionsItSetsAndAnUnknownNameListsTheVersions() {
        var sets = Recipe.named("improved-8").expansion(true, Architecture.MLP);

        assertThat(sets).containsEntry("beta1", 0.5).containsEntry("ema", 0.999).containsEntry("hidden", 768)
                .containsEntry("beta2", 0.99).containsEntry("label-smoothing", 0.1).hasSize(5);
        assertThat(Recipe.named("reference").expansion(false, Architecture.DCGAN)).isEmpty();
        assertThatThrownBy(() -> GanConfig.reference(false).recipe("better"))
                .hasMessageContaining("unknown recipe 'better'").hasMessageContaining("improved-1");
    }
}
