package dev.gan.bench;

import dev.gan.model.Architecture;
import dev.gan.model.GanModels;
import dev.gan.model.ModelSpec;
import dev.gan.model.NoiseKind;
import dev.gan.model.WeightInitKind;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;

class FlopCountTest {

    private static ComputationGraph generator(ModelSpec spec) {
        return GanModels.generator(spec, 1e-3, 0.5, 0.999, 1);
    }

    private static ComputationGraph discriminator(ModelSpec spec) {
        return GanModels.discriminator(spec, 1e-3, 0.5, 0.999, 2);
    }

    private static INDArray[] one(int size) {
        return new INDArray[] {Nd4j.zeros(DataType.FLOAT, 1, size)};
    }

    @Test
    void theReferenceMlpGanCostsWhatItsDenseLayersMultiply() {
        ModelSpec spec = new ModelSpec(false, 128, NoiseKind.GAUSSIAN, 256, 28, 28, 10, WeightInitKind.NORMAL);
        double g = 2.0 * (128 * 256 + 256 * 784);
        double d = 2.0 * (784 * 256 + 256);

        double perIteration = FlopCount.perIteration(generator(spec), discriminator(spec), one(128), one(784), 100);

        assertThat(perIteration).isEqualTo(100 * (3 * g + 8 * d));
        assertThat(perIteration / 1e9).isBetween(0.46, 0.47); // the figure the speed issue quotes
    }

    @Test
    void convolutionsCountKernelTimesChannelsTimesTheirFeatureMap() {
        ModelSpec spec = new ModelSpec(false, 128, NoiseKind.UNIFORM, 64, 28, 28, 10, WeightInitKind.XAVIER,
                Architecture.DCGAN);
        // G: Dense 128 -> 64x7x7; transposed 4x4 convs 64 -> 32 from a 7x7 map, 32 -> 1 from 14x14.
        double g = 2.0 * 128 * 64 * 49 + 2.0 * 64 * 32 * 16 * 49 + 2.0 * 32 * 16 * 196;
        // D: 4x4 stride-2 convs 1 -> 32 onto 14x14, 32 -> 64 onto 7x7; Dense 64x7x7 -> 1.
        double d = 2.0 * 32 * 16 * 196 + 2.0 * 32 * 64 * 16 * 49 + 2.0 * 64 * 49;

        assertThat(FlopCount.forwardPerExample(generator(spec), one(128))).isEqualTo(g);
        assertThat(FlopCount.forwardPerExample(discriminator(spec), one(784))).isEqualTo(d);
    }
}
