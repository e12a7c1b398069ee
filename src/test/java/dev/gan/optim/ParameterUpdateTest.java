package dev.gan.optim;

import dev.gan.model.Architecture;
import dev.gan.model.GanModels;
import dev.gan.model.ModelSpec;
import dev.gan.model.NoiseKind;
import dev.gan.model.WeightInitKind;
import dev.gan.util.Parallel;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;

class ParameterUpdateTest {

    private static final int EXAMPLES = 10;

    private static ModelSpec spec(Architecture arch, boolean conditional) {
        return new ModelSpec(conditional, 16, NoiseKind.UNIFORM, 32, 8, 8, 10, WeightInitKind.XAVIER, arch);
    }

    /**
     * Two identical graphs: one stepped by ParameterUpdate, the other as DL4J's updater steps it, after the same
     * backprop of the same errors; the results must be identical, not just close (same op, same formula).
     */
    private static void assertStepsMatchDl4j(ComputationGraph ours, ComputationGraph dl4j, INDArray[] inputs,
                                             int steps) {
        ParameterUpdate update = ParameterUpdate.of(ours);
        for (int iteration = 0; iteration < steps; iteration++) {
            Nd4j.getRandom().setSeed(7 + iteration);
            INDArray errors = Nd4j.randn(DataType.FLOAT, EXAMPLES, outputSize(ours, inputs));
            update.apply(backprop(ours, inputs, errors), iteration, 0, EXAMPLES);
            Gradient gradient = backprop(dl4j, inputs, errors);
            dl4j.getUpdater().update(gradient, iteration, 0, EXAMPLES, LayerWorkspaceMgr.noWorkspaces());
            dl4j.params().subi(gradient.gradient().reshape(dl4j.params().shape()));
        }
        assertThat(ours.params().toFloatVector()).as("parameters").containsExactly(dl4j.params().toFloatVector());
        assertThat(ours.getUpdater().getStateViewArray().toFloatVector()).as("Adam moments")
                .containsExactly(dl4j.getUpdater().getStateViewArray().toFloatVector());
    }

    private static long outputSize(ComputationGraph graph, INDArray[] inputs) {
        return graph.output(false, inputs)[0].columns();
    }

    private static Gradient backprop(ComputationGraph graph, INDArray[] inputs, INDArray errors) {
        graph.feedForward(inputs, true, false);
        return graph.backpropGradient(errors);
    }

    private static INDArray[] inputs(ModelSpec spec, int width) {
        Nd4j.getRandom().setSeed(3);
        INDArray main = Nd4j.rand(DataType.FLOAT, EXAMPLES, width);
        return spec.conditional() ? new INDArray[] {main, Nd4j.eye(10).getRows(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)}
                : new INDArray[] {main};
    }

    @ParameterizedTest(name = "conditional={0}")
    @CsvSource({"false", "true"})
    void mlpGeneratorStepsEqualDl4jAdamThroughTheDirectPath(boolean conditional) {
        ModelSpec spec = spec(Architecture.MLP, conditional);
        ComputationGraph ours = GanModels.generator(spec, 1e-3, 0.5, 0.999, 1);
        ComputationGraph dl4j = GanModels.generator(spec, 1e-3, 0.5, 0.999, 1);

        assertThat(ParameterUpdate.of(ours).direct()).isTrue();
        assertStepsMatchDl4j(ours, dl4j, inputs(spec, spec.noiseDim()), 5);
        assertThat(ours.params().equalsWithEps(GanModels.generator(spec, 1e-3, 0.5, 0.999, 1).params(), 1e-3))
                .as("parameters moved").isFalse();
    }

    @Test
    void mlpDiscriminatorStepsEqualDl4jAdamThroughTheDirectPath() {
        ModelSpec spec = spec(Architecture.MLP, true);
        ComputationGraph ours = GanModels.discriminator(spec, 2e-4, 0.9, 0.999, 3);
        ComputationGraph dl4j = GanModels.discriminator(spec, 2e-4, 0.9, 0.999, 3);

        assertThat(ParameterUpdate.of(ours).direct()).isTrue();
        assertStepsMatchDl4j(ours, dl4j, inputs(spec, spec.imageSize()), 5);
    }

    /** Batch norm's running statistics have a no-op updater: DL4J subtracts their "gradient" as it is. */
    @Test
    void dcganWithBatchNormStepsEqualDl4jThroughTheDirectPath() {
        ModelSpec spec = spec(Architecture.DCGAN, false);
        ComputationGraph ours = GanModels.generator(spec, 2e-4, 0.5, 0.999, 1);
        ComputationGraph dl4j = GanModels.generator(spec, 2e-4, 0.5, 0.999, 1);

        assertThat(ParameterUpdate.of(ours).direct()).isTrue();
        assertStepsMatchDl4j(ours, dl4j, inputs(spec, spec.noiseDim()), 3);
    }

    @Test
    void aStepSplitOverTwoThreadsChangesNoBit() {
        // 8x8 images through 512 hidden units: 41,000 parameters, three chunks of the Adam loop.
        ModelSpec spec = new ModelSpec(false, 16, NoiseKind.UNIFORM, 512, 8, 8, 10, WeightInitKind.XAVIER,
                Architecture.MLP);
        ComputationGraph single = GanModels.generator(spec, 1e-3, 0.5, 0.999, 1);
        ComputationGraph split = GanModels.generator(spec, 1e-3, 0.5, 0.999, 1);
        INDArray[] inputs = inputs(spec, spec.noiseDim());
        try {
            for (int iteration = 0; iteration < 3; iteration++) {
                Nd4j.getRandom().setSeed(11 + iteration);
                INDArray errors = Nd4j.randn(DataType.FLOAT, EXAMPLES, outputSize(single, inputs));
                Parallel.use(1);
                ParameterUpdate.of(single).apply(backprop(single, inputs, errors), iteration, 0, EXAMPLES);
                Parallel.use(2);
                ParameterUpdate.of(split).apply(backprop(split, inputs, errors), iteration, 0, EXAMPLES);
            }
        } finally {
            Parallel.use(1);
        }

        assertThat(split.params().toFloatVector()).containsExactly(single.params().toFloatVector());
        assertThat(split.getUpdater().getStateViewArray().toFloatVector())
                .containsExactly(single.getUpdater().getStateViewArray().toFloatVector());
        assertThat(single.params().equalsWithEps(GanModels.generator(spec, 1e-3, 0.5, 0.999, 1).params(), 1e-3))
                .as("parameters moved").isFalse();
    }
}
