package dev.gan.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GanModelsTest {

    private static final int BATCH = 4;

    private static ModelSpec spec(Architecture arch, boolean conditional) {
        return new ModelSpec(conditional, 16, NoiseKind.UNIFORM, 32, 28, 28, 10, WeightInitKind.XAVIER, arch);
    }

    private static INDArray[] inputs(ModelSpec spec, INDArray first) {
        if (!spec.conditional()) {
            return new INDArray[] {first};
        }
        INDArray labels = Nd4j.zeros(DataType.FLOAT, first.rows(), spec.numClasses());
        for (int i = 0; i < first.rows(); i++) {
            labels.putScalar(i, (3 * i) % spec.numClasses(), 1.0);
        }
        return new INDArray[] {first, labels};
    }

    @ParameterizedTest(name = "{0} conditional={1}")
    @CsvSource({"MLP,false", "MLP,true", "DCGAN,false", "DCGAN,true"})
    void generatorOutputsFlatImagesInTheUnitInterval(Architecture arch, boolean conditional) {
        ModelSpec spec = spec(arch, conditional);
        ComputationGraph g = GanModels.generator(spec, 1e-3, 0.5, 0.999, 1);

        INDArray images = g.output(inputs(spec, Nd4j.rand(DataType.FLOAT, BATCH, spec.noiseDim())))[0];

        assertThat(images.shape()).containsExactly(BATCH, 784);
        assertThat(images.minNumber().doubleValue()).isGreaterThanOrEqualTo(0);
        assertThat(images.maxNumber().doubleValue()).isLessThanOrEqualTo(1);
        assertThat(images.getRow(0)).isNotEqualTo(images.getRow(1));
    }

    @ParameterizedTest(name = "{0} conditional={1}")
    @CsvSource({"MLP,false", "MLP,true", "DCGAN,false", "DCGAN,true"})
    void discriminatorGivesOneLogitPerImage(Architecture arch, boolean conditional) {
        ModelSpec spec = spec(arch, conditional);
        InputGradientGraph d = GanModels.discriminator(spec, 1e-3, 0.5, 0.999, 2);

        INDArray logits = d.output(inputs(spec, Nd4j.rand(DataType.FLOAT, BATCH, 784)))[0];

        assertThat(logits.shape()).containsExactly(BATCH, 1);
    }

    /**
     * The generator learns only through D's gradient with respect to its image input, so that gradient must be
     * right, through the DCGAN's reshapes and strided convolutions too: compare with central differences.
     */
    @ParameterizedTest(name = "conditional={0}")
    @ValueSource(booleans = {false, true})
    void dcganInputGradientMatchesFiniteDifferences(boolean conditional) {
        ModelSpec spec = spec(Architecture.DCGAN, conditional);
        InputGradientGraph d = GanModels.discriminator(spec, 1e-3, 0.5, 0.999, 3);
        INDArray images = Nd4j.rand(DataType.FLOAT, BATCH, 784);
        INDArray[] in = inputs(spec, images);
        d.feedForward(in, true, false);

        // Gradient of sum(logits): external error of 1 for every example.
        INDArray gradient = d.backpropToInput(GanModels.IMAGE, Nd4j.ones(DataType.FLOAT, BATCH, 1)).dup();

        Random random = new Random(7);
        double h = 1e-2;
        for (int trial = 0; trial < 12; trial++) {
            int row = random.nextInt(BATCH);
            int pixel = random.nextInt(784);
            float original = images.getFloat(row, pixel);
            images.putScalar(row, pixel, original + h);
            double up = d.output(in)[0].sumNumber().doubleValue();
            images.putScalar(row, pixel, original - h);
            double down = d.output(in)[0].sumNumber().doubleValue();
            images.putScalar(row, pixel, original);
            double numeric = (up - down) / (2 * h);
            double analytic = gradient.getDouble(row, pixel);
            assertThat(analytic).as("pixel %d of image %d", pixel, row)
                    .isCloseTo(numeric, within(1e-3 + 0.05 * Math.abs(numeric)));
        }
        assertThat(gradient.norm2Number().doubleValue()).isGreaterThan(0);
    }

    /**
     * G learns from external errors backpropagated through batch norm and transposed convolutions: the weight
     * gradients DL4J returns must match central differences of sum(errors * G(z)) in training mode.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"g_project_W", "g_deconv1_W", "g_deconv2_W"})
    void dcganGeneratorWeightGradientsMatchFiniteDifferences(String parameter) {
        ModelSpec spec = spec(Architecture.DCGAN, true);
        ComputationGraph g = GanModels.generator(spec, 1e-3, 0.5, 0.999, 4);
        INDArray[] in = inputs(spec, Nd4j.rand(DataType.FLOAT, BATCH, spec.noiseDim()).muli(2).subi(1));
        INDArray errors = Nd4j.rand(DataType.FLOAT, BATCH, 784).subi(0.5);
        g.feedForward(in, true, false);
        INDArray gradient = g.backpropGradient(errors).getGradientFor(parameter).dup();

        String[] split = parameter.split("_(?=[^_]+$)");
        INDArray weights = g.getLayer(split[0]).getParam(split[1]); // a view of the parameters
        Random random = new Random(11);
        double h = 5e-4; // small: the ReLUs after batch norm have kinks that a wider step crosses
        for (int trial = 0; trial < 8; trial++) {
            long[] at = org.nd4j.linalg.api.shape.Shape.ind2subC(weights, random.nextInt((int) weights.length()));
            double original = weights.getDouble(at);
            weights.putScalar(at, original + h);
            double up = loss(g, in, errors);
            weights.putScalar(at, original - h);
            double down = loss(g, in, errors);
            weights.putScalar(at, original);
            double numeric = (up - down) / (2 * h);
            assertThat(gradient.getDouble(at)).as("%s%s", parameter, java.util.Arrays.toString(at))
                    .isCloseTo(numeric, within(2e-3 + 0.05 * Math.abs(numeric)));
        }
    }

    /** sum(errors * G(z)) in training mode, summed in double so that the small step's difference stays above rounding. */
    private static double loss(ComputationGraph g, INDArray[] in, INDArray errors) {
        INDArray out = g.feedForward(in, true).get(GanModels.G_OUT).castTo(DataType.DOUBLE);
        return out.muli(errors.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
    }

    @ParameterizedTest
    @ValueSource(ints = {6, 30})
    void dcganRefusesImageSidesItCannotUpsampleTo(int side) {
        assertThatThrownBy(() -> new ModelSpec(false, 16, NoiseKind.UNIFORM, 32, side, side, 10,
                WeightInitKind.XAVIER, Architecture.DCGAN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("divisible by 4");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"MLP", "DCGAN"})
    void aLabelScaleActsAsALargerOneHotInBothNetworks(Architecture arch) {
        ModelSpec spec = spec(arch, true);
        INDArray noise = Nd4j.rand(DataType.FLOAT, BATCH, spec.noiseDim());
        INDArray images = Nd4j.rand(DataType.FLOAT, BATCH, 784);
        INDArray[] g1 = inputs(spec, noise);
        INDArray[] d1 = inputs(spec, images);
        INDArray[] g5 = {noise, g1[1].mul(5)};
        INDArray[] d5 = {images, d1[1].mul(5)};

        ComputationGraph scaledG = GanModels.generator(spec, 1e-3, 0.5, 0.999, 1, 5);
        ComputationGraph plainG = GanModels.generator(spec, 1e-3, 0.5, 0.999, 1, 1);
        InputGradientGraph scaledD = GanModels.discriminator(spec, 1e-3, 0.5, 0.999, 2, 0, 0, 1, 5, 0);
        InputGradientGraph plainD = GanModels.discriminator(spec, 1e-3, 0.5, 0.999, 2, 0, 0, 1, 1, 0);

        assertThat(scaledG.params()).isEqualTo(plainG.params()); // same weights: the scaling has no parameters
        assertThat(scaledG.output(g1)[0].sub(plainG.output(g5)[0]).amaxNumber().doubleValue()).isLessThan(1e-5);
        assertThat(scaledD.output(d1)[0].sub(plainD.output(d5)[0]).amaxNumber().doubleValue()).isLessThan(1e-4);
        assertThat(plainD.output(d1)[0].sub(plainD.output(d5)[0]).amaxNumber().doubleValue()).isGreaterThan(1e-4);
        assertThatThrownBy(() -> GanModels.generator(spec, 1e-3, 0.5, 0.999, 1, 0))
                .hasMessageContaining("label scale must be positive");
    }
}
