package dev.gan.train;

import dev.gan.config.Engine;
import dev.gan.config.GanConfig;
import dev.gan.model.Architecture;
import dev.gan.model.GanModels;
import dev.gan.model.InputGradientGraph;
import dev.gan.model.ModelSpec;
import dev.gan.model.NoiseKind;
import dev.gan.model.WeightInitKind;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

import static org.assertj.core.api.Assertions.assertThat;

class GanTrainerTest {

    private static final int BATCH = 8;

    private static ModelSpec spec(boolean conditional) {
        return spec(Architecture.MLP, conditional);
    }

    /** Tiny images: 6x6 for the MLP, 8x8 for the DCGAN (its sides must divide by 4). */
    private static ModelSpec spec(Architecture arch, boolean conditional) {
        int side = arch == Architecture.DCGAN ? 8 : 6;
        return new ModelSpec(conditional, 16, conditional ? NoiseKind.UNIFORM : NoiseKind.GAUSSIAN, 32, side, side,
                10, conditional ? WeightInitKind.XAVIER : WeightInitKind.NORMAL, arch);
    }

    private static GanTrainer trainer(ModelSpec spec, double lr) {
        return trainer(spec, lr, settings().build());
    }

    /** The reference tricks at this test's batch size; GanTrainer takes the networks' shape from the spec. */
    private static GanConfig.Builder settings() {
        return GanConfig.reference(false).option("batch-size", BATCH).option("seed", 3);
    }

    private static GanTrainer trainer(ModelSpec spec, double lr, GanConfig settings) {
        ComputationGraph g = GanModels.generator(spec, lr, 0.5, 0.999, 1);
        InputGradientGraph d = GanModels.discriminator(spec, lr, 0.5, 0.999, 2);
        GanTrainer trainer = new GanTrainer(g, d, spec, settings, null);
        trainer.realImages().assign(Nd4j.rand(DataType.FLOAT, BATCH, spec.imageSize()));
        if (spec.conditional()) {
            INDArray labels = trainer.realLabels();
            labels.assign(0);
            for (int i = 0; i < BATCH; i++) {
                labels.putScalar(i, i % 10, 1.0);
            }
        }
        return trainer;
    }

    private static GanTrainer packedTrainer(ModelSpec spec, int pack) {
        ComputationGraph g = GanModels.generator(spec, 1e-2, 0.5, 0.999, 1);
        InputGradientGraph d = GanModels.discriminator(spec, 1e-2, 0.5, 0.999, 2, 0, 0, pack, 1, 0);
        GanTrainer trainer = new GanTrainer(g, d, spec, settings().option("pack", pack).build(), null);
        trainer.realImages().assign(Nd4j.rand(DataType.FLOAT, BATCH, spec.imageSize()));
        if (spec.conditional()) {
            trainer.realLabels().assign(0);
            for (int i = 0; i < BATCH; i++) {
                trainer.realLabels().putScalar(i, (3 * i) % 10, 1.0);
            }
        }
        return trainer;
    }

    /** Rows r*pack .. r*pack+pack-1 of {@code rows}, side by side, for each r: built by hand, row by row. */
    private static INDArray sideBySide(INDArray rows, int pack) {
        INDArray[] packs = new INDArray[(int) rows.rows() / pack];
        for (int r = 0; r < packs.length; r++) {
            INDArray[] members = new INDArray[pack];
            for (int m = 0; m < pack; m++) {
                members[m] = rows.getRow((long) r * pack + m, true);
            }
            packs[r] = Nd4j.hstack(members);
        }
        return Nd4j.vstack(packs);
    }

    @ParameterizedTest(name = "{0} conditional={1}")
    @CsvSource({"MLP,false", "MLP,true", "DCGAN,false", "DCGAN,true"})
    void aPackedDiscriminatorJudgesConsecutiveImagesAndTheirLabelsSideBySide(Architecture arch, boolean conditional) {
        ModelSpec spec = spec(arch, conditional);
        int pack = 2;
        GanTrainer trainer = packedTrainer(spec, pack);
        INDArray fake = trainer.generateFakes().dup();
        INDArray[] real = {sideBySide(trainer.realImages(), pack)};
        INDArray[] fakes = {sideBySide(fake, pack)};
        if (conditional) {
            INDArray labels = sideBySide(trainer.realLabels(), pack); // fakes carry the real labels (--label-source data)
            real = new INDArray[] {real[0], labels};
            fakes = new INDArray[] {fakes[0], labels};
        }
        INDArray realLogits = trainer.discriminator().output(real)[0];
        INDArray fakeLogits = trainer.discriminator().output(fakes)[0];
        assertThat(realLogits.rows()).isEqualTo(BATCH / pack);
        double expectedLoss = meanSoftplus(realLogits.neg()) + meanSoftplus(fakeLogits);

        double[] d = trainer.discriminatorStep(0, 0);

        assertThat(d[0]).isCloseTo(expectedLoss, org.assertj.core.data.Offset.offset(1e-5));
    }

    @ParameterizedTest(name = "{0} conditional={1}")
    @CsvSource({"MLP,false", "MLP,true", "DCGAN,false", "DCGAN,true"})
    void aPackedGanTrainsBothNetworks(Architecture arch, boolean conditional) {
        GanTrainer trainer = packedTrainer(spec(arch, conditional), 4);
        INDArray g = trainer.generator().params().dup();
        INDArray d = trainer.discriminator().params().dup();
        for (int i = 0; i < 3; i++) {
            IterationStats stats = trainer.step(i, 0);
            assertThat(stats.dLoss()).isFinite();
            assertThat(stats.gLoss()).isFinite();
        }
        assertThat(trainer.generator().params()).isNotEqualTo(g);
        assertThat(trainer.discriminator().params()).isNotEqualTo(d);
    }

    private static INDArray updaterState(ComputationGraph graph) {
        return graph.getUpdater().getStateViewArray().dup();
    }

    @ParameterizedTest(name = "{0} conditional={1}")
    @CsvSource({"MLP,false", "MLP,true", "DCGAN,false", "DCGAN,true"})
    void discriminatorStepLeavesGeneratorParametersAndAdamStateUntouched(Architecture arch, boolean conditional) {
        GanTrainer trainer = trainer(spec(arch, conditional), 1e-2);
        trainer.step(0, 0); // Adam state becomes non-zero
        INDArray gParams = trainer.generator().params().dup();
        INDArray gState = updaterState(trainer.generator());
        assertThat(gState.amaxNumber().doubleValue()).isPositive();
        INDArray dParams = trainer.discriminator().params().dup();

        trainer.generateFakes();
        trainer.discriminatorStep(1, 0);

        assertThat(trainer.generator().params()).isEqualTo(gParams);
        assertThat(updaterState(trainer.generator())).isEqualTo(gState);
        assertThat(trainer.discriminator().params()).isNotEqualTo(dParams);
    }

    @ParameterizedTest(name = "{0} conditional={1}")
    @CsvSource({"MLP,false", "MLP,true", "DCGAN,false", "DCGAN,true"})
    void generatorStepLeavesDiscriminatorParametersAndAdamStateUntouched(Architecture arch, boolean conditional) {
        GanTrainer trainer = trainer(spec(arch, conditional), 1e-2);
        trainer.step(0, 0);
        INDArray dParams = trainer.discriminator().params().dup();
        INDArray dState = updaterState(trainer.discriminator());
        assertThat(dState.amaxNumber().doubleValue()).isPositive();
        INDArray gParams = trainer.generator().params().dup();

        trainer.generatorStep(trainer.generateFakes(), 1, 0);

        assertThat(trainer.discriminator().params()).isEqualTo(dParams);
        assertThat(updaterState(trainer.discriminator())).isEqualTo(dState);
        assertThat(trainer.generator().params()).isNotEqualTo(gParams);
        // D's error reached G's first layer: every weight matrix of G moved.
        for (var layer : trainer.generator().getLayers()) {
            INDArray before = layer.params() == null || layer.numParams() == 0 ? null : layer.params().dup();
            if (before != null) {
                trainer.generatorStep(trainer.generateFakes(), 2, 0);
                assertThat(layer.params()).as(layer.getConfig().getLayerName()).isNotEqualTo(before);
            }
        }
    }

    private static GanTrainer created(double ema) {
        GanConfig config = GanConfig.reference(false).option("hidden", 32).option("noise-dim", 16).option("batch-size", BATCH)
                .option("ema", ema).build();
        GanTrainer trainer = GanTrainer.create(config, spec(false));
        Nd4j.getRandom().setSeed(5);
        trainer.realImages().assign(Nd4j.rand(DataType.FLOAT, BATCH, 36));
        trainer.reseed(1, 1);
        return trainer;
    }

    @Test
    void theMovingAverageFollowsDecayTimesAveragePlusTheRestTimesTheNewWeights() {
        GanTrainer trainer = created(0.9);
        double[] expected = trainer.generator().params().toDoubleVector();

        for (int i = 0; i < 5; i++) {
            trainer.step(i, 0);
            double[] now = trainer.generator().params().toDoubleVector();
            for (int j = 0; j < expected.length; j++) {
                expected[j] = 0.9 * expected[j] + 0.1 * now[j];
            }
        }

        double[] average = trainer.average().parameters().toDoubleVector();
        assertThat(average).containsExactly(expected, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(trainer.samplingGenerator().params().toDoubleVector()).containsExactly(average, org.assertj.core.data.Offset.offset(0.0));
        assertThat(trainer.samplingGenerator()).isNotSameAs(trainer.generator());
    }

    @Test
    void keepingAnAverageDoesNotChangeTraining() {
        GanTrainer with = created(0.99);
        GanTrainer without = created(0);
        for (int i = 0; i < 3; i++) {
            with.step(i, 0);
            without.step(i, 0);
        }

        assertThat(with.generator().params()).isEqualTo(without.generator().params());
        assertThat(with.discriminator().params()).isEqualTo(without.discriminator().params());
        assertThat(without.average()).isNull();
        assertThat(without.samplingGenerator()).isSameAs(without.generator());
    }

    /** mean log(1 + e^x), for the small logits of a fresh D. */
    private static double meanSoftplus(INDArray x) {
        return java.util.Arrays.stream(x.toDoubleVector()).map(v -> Math.log1p(Math.exp(v))).average().orElseThrow();
    }

    @Test
    void withoutAGeneratorUpdateOnlyTheDiscriminatorLearns() {
        GanTrainer trainer = trainer(spec(false), 1e-2);
        INDArray g = trainer.generator().params().dup();
        INDArray d = trainer.discriminator().params().dup();

        trainer.step(0, 0, false);

        assertThat(trainer.generator().params()).isEqualTo(g);
        assertThat(trainer.discriminator().params()).isNotEqualTo(d);
    }

    @Test
    void labelSmoothingLowersTheRealTargetAndSoChangesDsUpdate() {
        GanTrainer plain = trainer(spec(false), 1e-2);
        GanTrainer smoothed = trainer(spec(false), 1e-2, settings().option("label-smoothing", 0.1).build());
        smoothed.realImages().assign(plain.realImages());
        plain.reseed(1, 1);
        smoothed.reseed(1, 1);

        IterationStats a = plain.step(0, 0);
        IterationStats b = smoothed.step(0, 0);

        assertThat(b.dReal()).isEqualTo(a.dReal()); // same D, same inputs before the update
        assertThat(b.dLoss()).isNotEqualTo(a.dLoss());
        assertThat(smoothed.discriminator().params()).isNotEqualTo(plain.discriminator().params());
    }

    /**
     * The external-error design must train exactly what DL4J's own fit() trains: D fitted on the stacked
     * real+fake batch, G fitted through a combined graph whose D layers are frozen (with D's weights copied
     * in each iteration, which is fine in a test and what the trainer avoids).
     */
    @ParameterizedTest(name = "conditional={0}")
    @ValueSource(booleans = {false, true})
    void matchesTheCombinedGraphFitPathParameterForParameter(boolean conditional) {
        ModelSpec spec = spec(conditional);
        double lr = 1e-3;
        GanTrainer trainer = trainer(spec, lr);
        INDArray real = trainer.realImages().dup();
        INDArray labels = conditional ? trainer.realLabels().dup() : null;
        ComputationGraph refG = trainer.generator().clone();
        ComputationGraph refD = referenceDiscriminator(spec, lr);
        refD.params().assign(trainer.discriminator().params());
        ComputationGraph combined = combinedGraph(spec, lr);
        long nG = refG.numParams();
        INDArray combinedG = combined.params().get(NDArrayIndex.interval(0, nG));
        INDArray combinedD = combined.params().get(NDArrayIndex.interval(nG, combined.numParams()));
        combinedG.assign(refG.params());

        INDArray initialG = trainer.generator().params().dup();
        trainer.reseed(11, 12);
        NoiseSampler noise = new NoiseSampler(spec.noise(), 3);
        noise.reseed(11);
        INDArray targetsD = Nd4j.vstack(Nd4j.ones(DataType.FLOAT, BATCH, 1), Nd4j.zeros(DataType.FLOAT, BATCH, 1));
        INDArray targetsG = Nd4j.ones(DataType.FLOAT, BATCH, 1);

        for (int iteration = 0; iteration < 5; iteration++) {
            trainer.realImages().assign(real);
            trainer.step(iteration, 0);

            INDArray zD = noise.fill(Nd4j.create(DataType.FLOAT, BATCH, spec.noiseDim()));
            INDArray zG = zD; // the reference scripts feed the same noise batch to both updates
            if (conditional) {
                INDArray fake = refG.output(false, zD, labels)[0];
                refD.fit(new INDArray[] {Nd4j.vstack(real, fake), Nd4j.vstack(labels, labels)}, new INDArray[] {targetsD});
                combinedD.assign(refD.params());
                combined.fit(new INDArray[] {zG, labels}, new INDArray[] {targetsG});
            } else {
                INDArray fake = refG.outputSingle(false, zD);
                refD.fit(new INDArray[] {Nd4j.vstack(real, fake)}, new INDArray[] {targetsD});
                combinedD.assign(refD.params());
                combined.fit(new INDArray[] {zG}, new INDArray[] {targetsG});
            }
            refG.params().assign(combinedG);
        }

        double gDiff = trainer.generator().params().sub(refG.params()).amaxNumber().doubleValue();
        double dDiff = trainer.discriminator().params().sub(refD.params()).amaxNumber().doubleValue();
        double gMoved = trainer.generator().params().sub(initialG).amaxNumber().doubleValue();
        assertThat(gDiff).as("max |G - G_ref|").isLessThan(1e-5);
        assertThat(dDiff).as("max |D - D_ref|").isLessThan(1e-5);
        assertThat(combinedD).as("frozen D layers in the combined graph").isEqualTo(refD.params());
        assertThat(gMoved).as("G trained at all").isGreaterThan(1e-3);
    }

    /** The same network built from DL4J's own dense layers (the configuration JSON with the class name swapped). */
    private static ComputationGraphConfiguration withDl4jDenseLayers(ComputationGraph graph) {
        String json = graph.getConfiguration().toJson()
                .replace(dev.gan.model.ReusingDenseLayer.class.getName(), DenseLayer.class.getName());
        assertThat(json).doesNotContain("ReusingDenseLayer");
        return ComputationGraphConfiguration.fromJson(json);
    }

    /**
     * Reusing the forward pass's output in backprop, and skipping D's unread input gradient, change no bit (on
     * the graph path; DirectMlpStepTest compares the direct path with it).
     */
    @ParameterizedTest(name = "conditional={0}")
    @ValueSource(booleans = {false, true})
    void reusingForwardOutputsGivesBitIdenticalTraining(boolean conditional) {
        ModelSpec spec = spec(conditional);
        GanTrainer fast = trainer(spec, 1e-2, settings().option("engine", Engine.GRAPH).build());
        ComputationGraph g = new ComputationGraph(withDl4jDenseLayers(fast.generator()));
        g.init(fast.generator().params().dup(), true);
        InputGradientGraph d = new InputGradientGraph(withDl4jDenseLayers(fast.discriminator()));
        d.init(fast.discriminator().params().dup(), true);
        GanTrainer plainDl4j = new GanTrainer(g, d, spec, settings().build(), null);
        plainDl4j.realImages().assign(fast.realImages());
        if (conditional) {
            plainDl4j.realLabels().assign(fast.realLabels());
        }

        for (int i = 0; i < 5; i++) {
            fast.step(i, 0);
            plainDl4j.step(i, 0);
        }

        assertThat(g.getLayer(GanModels.G_HIDDEN)).isNotInstanceOf(dev.gan.model.ReusingDenseLayer.Reusing.class);
        assertThat(fast.generator().getLayer(GanModels.G_HIDDEN)).isInstanceOf(dev.gan.model.ReusingDenseLayer.Reusing.class);
        // Exactly, not within INDArray.equals' 1e-5.
        assertThat(fast.generator().params().sub(g.params()).amaxNumber().doubleValue()).isZero();
        assertThat(fast.discriminator().params().sub(d.params()).amaxNumber().doubleValue()).isZero();
    }

    /** DL4J averages the D loss over all 2B rows; the reference sums the real mean and the fake mean. */
    static final class SumOfHalvesXent extends LossBinaryXENT {
        @Override
        public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
            return super.computeGradient(labels, preOutput, activationFn, mask).muli(2.0);
        }
    }

    private static ComputationGraph referenceDiscriminator(ModelSpec spec, double lr) {
        var g = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT).updater(new Adam(lr, 0.5, 0.999, 1e-8)).graphBuilder();
        String in = "image";
        if (spec.conditional()) {
            g.addInputs("image", "label").addVertex("merged", new MergeVertex(), "image", "label");
            in = "merged";
        } else {
            g.addInputs("image");
        }
        ComputationGraphConfiguration conf = g
                .addLayer("d_hidden", new DenseLayer.Builder().nIn(spec.imageSize() + extra(spec)).nOut(spec.hidden())
                        .activation(Activation.RELU).build(), in)
                .addLayer("d_logit", new OutputLayer.Builder(new SumOfHalvesXent()).nIn(spec.hidden()).nOut(1)
                        .activation(Activation.SIGMOID).build(), "d_hidden")
                .setOutputs("d_logit").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    private static int extra(ModelSpec spec) {
        return spec.conditional() ? spec.numClasses() : 0;
    }

    private static ComputationGraph combinedGraph(ModelSpec spec, double lr) {
        var g = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT).updater(new Adam(lr, 0.5, 0.999, 1e-8)).graphBuilder();
        String gIn = "noise";
        String dIn = "g_out";
        if (spec.conditional()) {
            g.addInputs("noise", "label").addVertex("g_merged", new MergeVertex(), "noise", "label");
            gIn = "g_merged";
            dIn = "d_merged";
        } else {
            g.addInputs("noise");
        }
        g.addLayer("g_hidden", new DenseLayer.Builder().nIn(spec.noiseDim() + extra(spec)).nOut(spec.hidden())
                        .activation(Activation.RELU).build(), gIn)
                .addLayer("g_out", new DenseLayer.Builder().nIn(spec.hidden()).nOut(spec.imageSize())
                        .activation(Activation.SIGMOID).build(), "g_hidden");
        if (spec.conditional()) {
            g.addVertex("d_merged", new MergeVertex(), "g_out", "label");
        }
        ComputationGraphConfiguration conf = g
                .addLayer("d_hidden", new FrozenLayerWithBackprop(new DenseLayer.Builder().nIn(spec.imageSize() + extra(spec))
                        .nOut(spec.hidden()).activation(Activation.RELU).build()), dIn)
                .addLayer("d_logit", new FrozenLayerWithBackprop(new OutputLayer.Builder(new LossBinaryXENT())
                        .nIn(spec.hidden()).nOut(1).activation(Activation.SIGMOID).build()), "d_hidden")
                .setOutputs("d_logit").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }
}
