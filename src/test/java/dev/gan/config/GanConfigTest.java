package dev.gan.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gan.model.Architecture;
import dev.gan.model.NoiseKind;
import dev.gan.model.WeightInitKind;
import dev.gan.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GanConfigTest {

    @Test
    void theImprovedRecipeSmoothsAndWidensBothMlpsAndPacksAndSpeedsUpThePlainOne() {
        GanConfig cgan = GanConfig.reference(true).recipe("improved").build();
        GanConfig plain = GanConfig.reference(false).recipe("improved").build();

        assertThat(cgan.optimiser().beta1()).isEqualTo(0.5);
        assertThat(cgan.tricks().ema()).isEqualTo(0.999);
        assertThat(cgan.optimiser().lrD()).isEqualTo(1e-3);
        assertThat(cgan.optimiser().lrG()).isEqualTo(1e-3);
        assertThat(cgan.tricks().pack()).isEqualTo(1);
        assertThat(cgan.tricks().labelSmoothing()).isEqualTo(0.1);
        assertThat(cgan.model().hidden()).isEqualTo(768);
        assertThat(cgan.optimiser().beta2()).isEqualTo(0.99);

        assertThat(plain.optimiser().beta1()).isEqualTo(0.5);
        assertThat(plain.tricks().ema()).isEqualTo(0.999);
        assertThat(plain.optimiser().lrD()).isEqualTo(2e-3);
        assertThat(plain.optimiser().lrG()).isEqualTo(2e-3);
        assertThat(plain.tricks().pack()).isEqualTo(4);
        assertThat(plain.tricks().labelSmoothing()).isEqualTo(0.2);
        assertThat(plain.model().hidden()).isEqualTo(1024);
        assertThat(plain.optimiser().beta2()).isEqualTo(0.99);
        assertThat(plain.model().weightInit()).isEqualTo(WeightInitKind.XAVIER);
        assertThat(plain.model().noise()).isEqualTo(NoiseKind.UNIFORM);
        assertThat(plain.model().noiseDim()).isEqualTo(32);
        assertThat(cgan.model().noiseDim()).isEqualTo(128);
    }

    @Test
    void thePlainDcganTookOnlyWhatBothModelsShareFromImproved9() {
        GanConfig reference = GanConfig.reference(false).arch(Architecture.DCGAN).build();
        GanConfig improved = GanConfig.reference(false).arch(Architecture.DCGAN).recipe("improved-9").build();

        assertThat(improved.tricks().ema()).isEqualTo(0.999);
        assertThat(improved.tricks().pack()).isEqualTo(4);
        assertThat(improved.model().hidden()).isEqualTo(reference.model().hidden());
        assertThat(improved.optimiser().lrD()).isEqualTo(reference.optimiser().lrD());
        assertThat(improved.optimiser().lrG()).isEqualTo(reference.optimiser().lrG());
        assertThat(improved.optimiser().beta2()).isEqualTo(reference.optimiser().beta2());
        assertThat(improved.tricks().labelSmoothing()).isZero();
    }

    @Test
    void newRunsUseTheDirectEngineAndRunsRecordedBeforeEnginesExistedResumeOnTheGraphs() throws Exception {
        GanConfig fresh = GanConfig.reference(true).build();
        ObjectNode tree = Json.MAPPER.valueToTree(fresh);
        tree.remove("engine");

        GanConfig recordedBefore = Json.MAPPER.treeToValue(tree, GanConfig.class);

        assertThat(fresh.engine()).isEqualTo(Engine.DIRECT);
        assertThat(recordedBefore.engine()).isEqualTo(Engine.GRAPH);
        assertThat(recordedBefore.toBuilder().option("engine", Engine.DIRECT).build()).isEqualTo(fresh);
    }

    @Test
    void theImprovedRecipesPackingMustFitTheBatchUnlessGivenExplicitly() {
        assertThatThrownBy(() -> GanConfig.reference(false).recipe("improved").option("batch-size", 50).build())
                .hasMessageContaining("--recipe improved-13 packs 4 images per D example, which must divide the batch size 50");
        assertThat(GanConfig.reference(false).recipe("improved").option("batch-size", 50).option("pack", 2).build()
                .tricks().pack()).isEqualTo(2);
        assertThat(GanConfig.reference(false).recipe("improved").option("batch-size", 64).build().tricks().pack())
                .isEqualTo(4);
    }

    @Test
    void improved11sWidthAndBeta2AreTheMlpsOnly() {
        GanConfig dcgan = GanConfig.reference(true).arch(Architecture.DCGAN).recipe("improved-11").build();
        assertThat(dcgan.model().hidden()).isEqualTo(GanConfig.DCGAN_CHANNELS);
        assertThat(dcgan.optimiser().beta2()).isEqualTo(0.999);
        assertThat(GanConfig.reference(true).recipe("improved").option("hidden", 384).build().model().hidden())
                .isEqualTo(384);
        assertThat(GanConfig.reference(true).recipe("improved").option("beta2", 0.995).build().optimiser().beta2())
                .isEqualTo(0.995);
    }

    @Test
    void theReferenceRecipeIsTheTutorials() {
        GanConfig plain = GanConfig.reference(false).recipe("reference").build();

        assertThat(plain.optimiser().beta1()).isEqualTo(0.9);
        assertThat(plain.tricks().ema()).isZero();
        assertThat(plain.optimiser().lrD()).isEqualTo(2e-4);
        assertThat(plain.model().arch()).isEqualTo(Architecture.MLP);
    }

    @Test
    void theDcganBringsItsOwnDefaultsAndExplicitValuesWin() {
        GanConfig dcgan = GanConfig.reference(true).arch(Architecture.DCGAN).option("hidden", 32).build();

        assertThat(dcgan.model().hidden()).isEqualTo(32);
        assertThat(dcgan.optimiser().lrD()).isEqualTo(2e-4);
        assertThat(dcgan.optimiser().beta1()).isEqualTo(0.5);
        assertThat(GanConfig.reference(false).arch(Architecture.DCGAN).build().model().hidden())
                .isEqualTo(GanConfig.DCGAN_CHANNELS);
    }

    @Test
    void packingMustDivideTheBatch() {
        assertThat(GanConfig.reference(false).option("pack", 4).build().tricks().pack()).isEqualTo(4);
        assertThat(GanConfig.reference(false).build().tricks().pack()).isEqualTo(1);
        assertThatThrownBy(() -> GanConfig.reference(false).option("batch-size", 100).option("pack", 3).build())
                .hasMessage("pack must divide the batch size 100, got 3");
        assertThatThrownBy(() -> GanConfig.reference(false).option("pack", 0).build())
                .hasMessageContaining("pack must be positive");
    }

    static Stream<Arguments> infoGanWithoutWhatItNeeds() {
        return Stream.of(
                Arguments.of("Gaussian noise", "noise", NoiseKind.GAUSSIAN, "--noise categorical"),
                Arguments.of("a cGAN", "conditional", true, "a plain GAN"),
                Arguments.of("the MLP", "arch", Architecture.MLP, "--arch dcgan"),
                Arguments.of("packing", "pack", 5, "--pack 1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("infoGanWithoutWhatItNeeds")
    void infoGanNeedsAPlainDcganWithACategoricalCode(String name, String field, Object value, String needs) {
        GanConfig.Builder info = GanConfig.reference(false).arch(Architecture.DCGAN).option("noise", NoiseKind.CATEGORICAL)
                .option("info-weight", 1.0);
        assertThat(info.build().tricks().infoWeight()).isEqualTo(1.0);

        assertThatThrownBy(() -> info.option(GanConfig.optionName(field), value).build()).hasMessageStartingWith("info-weight needs " + needs);
        assertThatThrownBy(() -> GanConfig.reference(false).option("info-weight", -1.0).build())
                .hasMessageContaining("info-weight must be positive");
    }

    @Test
    void configJsonIsFlatWithOneKeyPerSettingAndAKeyOfTheFirstShapeIsRequiredAndTyped() {
        ObjectNode tree = Json.MAPPER.valueToTree(GanConfig.reference(false).build());

        assertThat(tree.properties()).allSatisfy(field -> assertThat(field.getValue().isValueNode()).isTrue());
        assertThat(tree.size()).isEqualTo(GanConfig.fields().size());
        tree.remove("hidden");
        assertThatThrownBy(() -> Json.MAPPER.treeToValue(tree, GanConfig.class)).hasMessageContaining("lacks 'hidden'");
        tree.put("hidden", 64).put("seed", "forty-two");
        assertThatThrownBy(() -> Json.MAPPER.treeToValue(tree, GanConfig.class)).hasMessageContaining("forty-two");
    }

    @Test
    void anOptionNamesItsFieldAndBack() {
        assertThat(GanConfig.optionName("lrD")).isEqualTo("lr-d");
        assertThat(GanConfig.optionName("labelSmoothing")).isEqualTo("label-smoothing");
        assertThat(GanConfig.fieldOf("noise-dim")).isEqualTo("noiseDim");
        assertThat(GanConfig.fieldOf("out")).isNull();
        assertThat(GanConfig.fields()).allSatisfy(field -> assertThat(GanConfig.fieldOf(GanConfig.optionName(field)))
                .isEqualTo(field));
    }

    @Test
    void theBuilderRefusesAnUnknownSettingAValueOfTheWrongTypeAndZeroDSteps() {
        assertThatThrownBy(() -> GanConfig.reference(false).option("hiden", 64)).hasMessageContaining("no setting 'hiden'");
        assertThatThrownBy(() -> GanConfig.reference(false).option("hidden", 0.5)).hasMessageContaining("hidden takes int");
        assertThatThrownBy(() -> GanConfig.reference(false).option("d-steps", 0).build())
                .hasMessage("d-steps must be positive, got 0");
        assertThat(GanConfig.reference(false).option("lr-d", 1e-3).build().optimiser().lrD()).isEqualTo(1e-3);
        assertThatThrownBy(() -> GanConfig.reference(false).option("noise", NoiseKind.CATEGORICAL).option("noise-dim", 10)
                .build()).hasMessageContaining("noise-dim must be larger than the 10 categories");
    }

    @Test
    void notANumberIsOutOfEveryRange() {
        assertThatThrownBy(() -> GanConfig.reference(false).option("leaky-relu", Double.NaN).build())
                .hasMessageContaining("leaky-relu");
        assertThatThrownBy(() -> GanConfig.reference(false).option("ema", Double.NaN).build()).hasMessageContaining("ema");
        assertThatThrownBy(() -> GanConfig.reference(false).option("label-smoothing", Double.NaN).build())
                .hasMessageContaining("label-smoothing");
        assertThatThrownBy(() -> GanConfig.reference(false).option("sample-scale", 33).build())
                .hasMessageContaining("sample-scale");
    }

    @Test
    void improvedIsTheNewestVersionAndTheConfigRecordsWhichOne() {
        GanConfig config = GanConfig.reference(false).recipe("improved").build();

        assertThat(config.recipe()).isEqualTo(Recipe.NEWEST_NAME).isEqualTo("improved-13");
        assertThat(GanConfig.reference(false).recipe("improved-13").build()).isEqualTo(config);
    }

    @Test
    void improved13GivesThePlainDcganTheHingeLossAndTwiceTheWidthAndElseIsImproved12() {
        GanConfig plain = GanConfig.reference(false).arch(Architecture.DCGAN).recipe("improved-13").build();
        assertThat(plain.model().hidden()).isEqualTo(128);
        assertThat(plain.tricks().loss()).isEqualTo(LossKind.HINGE);
        assertThat(plain.toBuilder().option("hidden", 64).option("loss", LossKind.BCE).option("recipe", "improved-12")
                .build()).isEqualTo(GanConfig.reference(false).arch(Architecture.DCGAN).recipe("improved-12").build());
        for (Architecture arch : Architecture.values()) {
            for (boolean conditional : new boolean[] {false, true}) {
                if (arch == Architecture.DCGAN && !conditional) {
                    continue;
                }
                assertThat(GanConfig.reference(conditional).arch(arch).recipe("improved-13").build())
                        .as("%s, conditional %s", arch, conditional)
                        .isEqualTo(GanConfig.reference(conditional).arch(arch).recipe("improved-12").build().toBuilder()
                                .option("recipe", "improved-13").build());
            }
        }
    }

    @Test
    void improved12WidensTheConditionalDcganOnlyAndElseIsImproved11() {
        GanConfig cgan = GanConfig.reference(true).arch(Architecture.DCGAN).recipe("improved-12").build();
        assertThat(cgan.model().hidden()).isEqualTo(128);
        assertThat(cgan.toBuilder().option("hidden", 64).option("recipe", "improved-11").build())
                .isEqualTo(GanConfig.reference(true).arch(Architecture.DCGAN).recipe("improved-11").build());
        assertThat(GanConfig.reference(true).arch(Architecture.DCGAN).recipe("improved").option("hidden", 96).build()
                .model().hidden()).as("explicit options win").isEqualTo(96);
        for (Architecture arch : Architecture.values()) {
            for (boolean conditional : new boolean[] {false, true}) {
                if (arch == Architecture.DCGAN && conditional) {
                    continue;
                }
                assertThat(GanConfig.reference(conditional).arch(arch).recipe("improved-12").build())
                        .as("%s, conditional %s", arch, conditional)
                        .isEqualTo(GanConfig.reference(conditional).arch(arch).recipe("improved-11").build().toBuilder()
                                .option("recipe", "improved-12").build());
            }
        }
    }

    @Test
    void improved11TrainsBothDcgansAtBatch25AndElseIsImproved10() {
        for (boolean conditional : new boolean[] {false, true}) {
            GanConfig dcgan = GanConfig.reference(conditional).arch(Architecture.DCGAN).recipe("improved-11").build();

            assertThat(dcgan.schedule().batchSize()).isEqualTo(25);
            assertThat(dcgan.toBuilder().option("batch-size", 100).recipe("improved-10").build())
                    .isEqualTo(GanConfig.reference(conditional).arch(Architecture.DCGAN).recipe("improved-10").build());
            assertThat(GanConfig.reference(conditional).arch(Architecture.DCGAN).recipe("improved")
                    .option("batch-size", 100).build().schedule().batchSize()).as("explicit options win").isEqualTo(100);
            assertThat(GanConfig.reference(conditional).recipe("improved-11").build()).as("the MLP")
                    .isEqualTo(GanConfig.reference(conditional).recipe("improved-10").build().toBuilder()
                            .option("recipe", "improved-11").build());
        }
    }

    @Test
    void improved10KeepsThePlainDcgansOwnSettingsAndElseIsImproved9() {
        GanConfig dcganReference = GanConfig.reference(false).arch(Architecture.DCGAN).build();
        GanConfig dcgan10 = GanConfig.reference(false).arch(Architecture.DCGAN).recipe("improved-10").build();
        GanConfig dcgan9 = GanConfig.reference(false).arch(Architecture.DCGAN).recipe("improved-9").build();

        assertThat(dcgan10.toBuilder().recipe("reference").build()).isEqualTo(dcganReference);
        assertThat(dcgan9.tricks().pack()).isEqualTo(4);
        assertThat(dcgan9.tricks().ema()).isEqualTo(0.999);
        assertSameButForThePlainDcgan("improved-10", "improved-9");
    }

    @Test
    void anEarlierVersionKeepsWhatItMeantThen() {
        GanConfig four = GanConfig.reference(false).recipe("improved-4").build();
        GanConfig seven = GanConfig.reference(true).recipe("improved-7").build();

        assertThat(four.optimiser().lrD()).isEqualTo(1e-4);
        assertThat(four.optimiser().lrG()).isEqualTo(4e-4);
        assertThat(four.tricks().pack()).isEqualTo(1);
        assertThat(four.tricks().ema()).isEqualTo(0.999);
        assertThat(seven.model().hidden()).isEqualTo(512);
        assertThat(seven.optimiser().beta2()).isEqualTo(0.999);
        assertThat(seven.tricks().labelSmoothing()).isEqualTo(0.1);
        assertThat(GanConfig.reference(false).recipe("improved-1").build().model().dropoutD()).isEqualTo(0.3);
    }

    @Test
    void aRecipesExpansionNamesTheOptionsItSetsAndAnUnknownNameListsTheVersions() {
        var sets = Recipe.named("improved-8").settings(true, Architecture.MLP);

        assertThat(sets).containsEntry("beta1", 0.5).containsEntry("ema", 0.999).containsEntry("hidden", 768)
                .containsEntry("beta2", 0.99).containsEntry("label-smoothing", 0.1).hasSize(5);
        assertThat(Recipe.named("reference").settings(false, Architecture.DCGAN)).isEmpty();
        assertThatThrownBy(() -> GanConfig.reference(false).recipe("better"))
                .hasMessageContaining("unknown recipe 'better'").hasMessageContaining("improved-1");
    }

    /** Every kind of model but the plain DCGAN gets the same settings from {@code newer} as from {@code older}. */
    private static void assertSameButForThePlainDcgan(String newer, String older) {
        for (boolean conditional : new boolean[] {false, true}) {
            for (Architecture arch : Architecture.values()) {
                if (arch == Architecture.DCGAN && !conditional) {
                    continue;
                }
                assertThat(GanConfig.reference(conditional).arch(arch).recipe(newer).build().toBuilder().recipe(older)
                        .build()).as("%s, conditional %s", arch, conditional)
                        .isEqualTo(GanConfig.reference(conditional).arch(arch).recipe(older).build());
            }
        }
    }

    @Test
    void everyRecipeInTheTableBuildsForEveryKindOfModelAndSetsWhatItLists() {
        for (Recipe recipe : Recipe.all()) {
            for (Architecture arch : Architecture.values()) {
                for (boolean conditional : new boolean[] {false, true}) {
                    GanConfig config = GanConfig.reference(conditional).arch(arch).recipe(recipe.id()).build();
                    GanConfig.Builder byHand = GanConfig.reference(conditional).arch(arch);
                    recipe.settings(conditional, arch).forEach(byHand::option);
                    assertThat(config.recipe()).isEqualTo(recipe.id());
                    assertThat(byHand.build()).as("%s %s %s", recipe.id(), arch, conditional)
                            .isEqualTo(config.toBuilder().option("recipe", "reference").build());
                }
            }
        }
        assertThat(Recipe.all()).extracting(Recipe::id).contains(Recipe.DEFAULT_NAME, Recipe.REFERENCE_NAME)
                .last().isEqualTo(Recipe.NEWEST_NAME);
    }

    @Test
    void underTheHingeLossARecipesLabelSmoothingIsLeftOutAndAGivenOneRefused() {
        GanConfig hinge = GanConfig.reference(true).recipe(Recipe.DEFAULT_NAME).option("loss", LossKind.HINGE).build();

        assertThat(hinge.tricks().labelSmoothing()).isZero();
        assertThat(hinge.optimiser().beta1()).isEqualTo(0.5);
        assertThatThrownBy(() -> GanConfig.reference(true).option("loss", "hinge").option("label-smoothing", 0.1).build())
                .hasMessage("label-smoothing softens D's targets, which --loss hinge does not have: give "
                        + "--label-smoothing 0");
    }
}
