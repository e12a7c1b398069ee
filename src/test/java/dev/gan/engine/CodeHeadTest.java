package dev.gan.engine;

import dev.gan.config.GanConfig;
import dev.gan.model.Architecture;
import dev.gan.model.DcganGraphs;
import dev.gan.model.GanModels;
import dev.gan.model.GraphMemory;
import dev.gan.model.ModelSpec;
import dev.gan.model.NoiseKind;
import dev.gan.model.WeightInitKind;
import dev.gan.nn.ParameterMemory;
import dev.gan.train.GanTrainer;
import dev.gan.train.SideBySide;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** InfoGAN's head: D reads a fake's category back from its last features, and learns to. */
class CodeHeadTest {

    private static final int CHANNELS = 8;
    private static final int PIXELS = 4;           // 8x8 images: D's last feature map is 2x2
    private static final int FEATURES = CHANNELS * PIXELS;
    private static final int NOISE_DIM = 14;
    private static final int ROWS = 3;
    private static final double WEIGHT = 0.5;

    private static ComputationGraph discriminatorWithHead() {
        ModelSpec spec = new ModelSpec(false, NOISE_DIM, NoiseKind.CATEGORICAL, CHANNELS, 8, 8, 10,
                WeightInitKind.XAVIER, Architecture.DCGAN);
        return GanModels.discriminator(spec, 1e-3, 0.5, 0.999, 2, 0.2, 0, 1, 1, NoiseKind.CATEGORIES);
    }

    /** z for ROWS fakes whose categories are 7, 0 and 3. */
    private static INDArray noise() {
        INDArray z = Nd4j.rand(DataType.FLOAT, ROWS, NOISE_DIM);
        int first = NOISE_DIM - NoiseKind.CATEGORIES;
        z.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(first, NOISE_DIM)).assign(0);
        int[] codes = {7, 0, 3};
        for (int i = 0; i < ROWS; i++) {
            z.putScalar(i, first + codes[i], 1.0);
        }
        return z;
    }

    @Test
    void itsGradientsAreThoseOfWeightTimesTheCrossEntropyOfTheFakesCategory() {
        ComputationGraph d = discriminatorWithHead();
        CodeHead head = new CodeHead(d, WEIGHT, CHANNELS, PIXELS, ROWS, NOISE_DIM);
        head.readCodes(noise(), ROWS);
        // D's batch: one real row first, then the three fakes, as in D's step.
        float[] activations = new float[(1 + ROWS) * FEATURES];
        Random random = new Random(4);
        for (int i = 0; i < activations.length; i++) {
            activations[i] = (float) random.nextGaussian();
        }
        float[] delta = new float[activations.length];
        head.forward(activations, 1, ROWS);
        head.backward(activations, delta, true);

        ParameterMemory w = GraphMemory.parameter(d, DcganGraphs.D_CODE, "W");
        ParameterMemory b = GraphMemory.parameter(d, DcganGraphs.D_CODE, "b");
        // The errors are per example and summed: WEIGHT * ROWS * d(mean cross-entropy).
        double scale = WEIGHT * ROWS;
        for (int index : new int[] {0, 5, 37, 200, 10 * FEATURES - 1}) {
            double numeric = centralDifference(w.values(), index, () -> head.forward(activations, 1, ROWS));
            assertThat(w.gradient().get(index)).as("W[%d]", index).isCloseTo((float) (scale * numeric), within(2e-3f));
        }
        for (int code : new int[] {0, 3, 7}) {
            double numeric = centralDifference(b.values(), code, () -> head.forward(activations, 1, ROWS));
            assertThat(b.gradient().get(code)).as("b[%d]", code).isCloseTo((float) (scale * numeric), within(2e-3f));
        }
        for (int index : new int[] {FEATURES, FEATURES + 9, 3 * FEATURES + 31}) {
            float kept = activations[index];
            activations[index] = kept + 1e-2f;
            double up = head.forward(activations, 1, ROWS);
            activations[index] = kept - 1e-2f;
            double down = head.forward(activations, 1, ROWS);
            activations[index] = kept;
            assertThat(delta[index]).as("dActivation[%d]", index)
                    .isCloseTo((float) (scale * (up - down) / 2e-2), within(2e-3f));
        }
        assertThat(delta).as("the real row").startsWith(new float[FEATURES]);
    }

    private static double centralDifference(org.bytedeco.javacpp.FloatPointer values, int index,
                                            java.util.function.DoubleSupplier loss) {
        float kept = values.get(index);
        values.put(index, kept + 1e-2f);
        double up = loss.getAsDouble();
        values.put(index, kept - 1e-2f);
        double down = loss.getAsDouble();
        values.put(index, kept);
        return (up - down) / 2e-2;
    }

    @Test
    void trainingTeachesDToReadTheCodeThatGDraws() {
        GanConfig config = GanConfig.reference(false).arch(Architecture.DCGAN).option("hidden", CHANNELS)
                .option("noise-dim", NOISE_DIM).option("noise", NoiseKind.CATEGORICAL).option("info-weight", 1.0)
                .option("batch-size", 20).option("seed", 5).option("lr-d", 1e-2).option("lr-g", 1e-2).build();
        GanTrainer trainer = SideBySide.trainer(config, 8, 8);
        assertThat(trainer.direct()).isTrue();

        trainer.step(0, 0);
        double first = trainer.codeLoss();
        for (int i = 1; i < 100; i++) {
            trainer.step(i, 0);
        }

        assertThat(first).as("chance: ln 10").isCloseTo(Math.log(10), within(0.3));
        assertThat(trainer.codeLoss()).isLessThan(0.5);
    }
}
