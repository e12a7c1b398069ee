package dev.gan.eval;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LeNetPassesTest {

    @org.junit.jupiter.api.AfterEach
    void oneDnnAgain() {
        System.clearProperty(dev.gan.nn.OneDnn.OFF_PROPERTY);
    }

    /** For inference with oneDNN's convolutions, with gan's im2col ones (a build without oneDNN), for training. */
    @org.junit.jupiter.params.ParameterizedTest(name = "for training: {0}, oneDNN off: {1}")
    @org.junit.jupiter.params.provider.CsvSource({"false, false", "false, true", "true, false"})
    void givesTheGraphsFeaturesAndProbabilities(boolean training, boolean oneDnnOff) {
        System.setProperty(dev.gan.nn.OneDnn.OFF_PROPERTY, Boolean.toString(oneDnnOff));
        DigitClassifier classifier = DigitClassifier.create(28, 28, 10, 3);
        ComputationGraph graph = classifier.graph();
        // Biases away from zero so that every term of the layers shows in the comparison.
        Nd4j.getRandom().setSeed(11);
        for (String layer : new String[] {"conv1", "conv2", DigitClassifier.FEATURES, DigitClassifier.OUTPUT}) {
            graph.getParam(layer + "_b").assign(Nd4j.randn(DataType.FLOAT, graph.getParam(layer + "_b").shape()).muli(0.1));
        }
        INDArray images = Nd4j.rand(DataType.FLOAT, 37, 784);

        LeNetPasses passes = (training ? LeNetPasses.forTraining(graph, 50) : LeNetPasses.forInference(graph, 50))
                .orElseThrow();
        assertThat(passes.conv1 instanceof dev.gan.nn.OneDnnConvolution).isEqualTo(!training && dev.gan.nn.OneDnn.available());
        System.arraycopy(images.data().asFloat(), 0, passes.images, 0, 37 * 784);
        passes.forward(37); // fewer than the passes' batch
        Map<String, INDArray> expected = graph.feedForward(images, false);

        INDArray features = expected.get(DigitClassifier.FEATURES);
        INDArray probabilities = expected.get(DigitClassifier.OUTPUT);
        assertThat(features.sumNumber().doubleValue()).isGreaterThan(0); // not all dead ReLUs
        double largest = features.amaxNumber().doubleValue();
        float[] row = new float[10];
        for (int i = 0; i < 37; i++) {
            for (int j = 0; j < passes.features; j++) {
                assertThat((double) passes.hidden[i * passes.features + j])
                        .isCloseTo(features.getDouble(i, j), org.assertj.core.data.Offset.offset(1e-5 * largest));
            }
            passes.softmax(i, row, 0);
            for (int c = 0; c < 10; c++) {
                assertThat((double) row[c]).isCloseTo(probabilities.getDouble(i, c), org.assertj.core.data.Offset.offset(1e-5));
            }
        }
    }

    @Test
    void runAgreesWithTheGraphOnEveryRowAcrossBatchesAndSeesTheParametersAsTheyAreNow() {
        DigitClassifier classifier = DigitClassifier.create(28, 28, 10, 5);
        INDArray images = Nd4j.rand(DataType.FLOAT, 230, 784); // two whole batches and part of a third

        assertAgreesWithTheGraph(classifier, images);
        classifier.graph().params().muli(1.5); // as training moves them: the passes read the graph's memory
        assertAgreesWithTheGraph(classifier, images);
    }

    private static void assertAgreesWithTheGraph(DigitClassifier classifier, INDArray images) {
        int n = (int) images.rows();
        DigitClassifier.Outputs outputs = classifier.run(images.data().asFloat(), n, 784);

        Map<String, INDArray> expected = classifier.graph().feedForward(images, false);
        INDArray probabilities = expected.get(DigitClassifier.OUTPUT);
        INDArray features = expected.get(DigitClassifier.FEATURES);
        double largest = features.amaxNumber().doubleValue();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 10; c++) {
                assertThat((double) outputs.probabilities()[i][c])
                        .isCloseTo(probabilities.getDouble(i, c), org.assertj.core.data.Offset.offset(1e-5));
            }
            for (int j = 0; j < features.columns(); j++) {
                assertThat((double) outputs.features()[i][j])
                        .isCloseTo(features.getDouble(i, j), org.assertj.core.data.Offset.offset(1e-5 * largest));
            }
        }
    }

    @Test
    void aClassifierReadBackFromItsFileTakesThePasses(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        java.nio.file.Path file = tmp.resolve("classifier.zip");
        ClassifierFile.save(DigitClassifier.create(28, 28, 10, 4),
                new ClassifierFile.Info("mnist", "x", "a", "b", 10, 2, 1, 0.5, 4, null), file);

        DigitClassifier loaded = ClassifierFile.load(file).classifier();

        assertThat(LeNetPasses.forInference(loaded.graph(), 10)).isPresent();
    }

    @Test
    void declinesALayoutItDoesNotImplement() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .graphBuilder()
                .addInputs(DigitClassifier.INPUT)
                .setInputTypes(InputType.convolutionalFlat(28, 28, 1))
                .addLayer("conv1", new ConvolutionLayer.Builder(5, 5).nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build(), DigitClassifier.INPUT)
                .addLayer("pool1", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2).stride(2, 2).build(), "conv1")
                .addLayer("conv2", new ConvolutionLayer.Builder(5, 5).nOut(4).activation(Activation.RELU).build(), "pool1")
                .addLayer("pool2", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2).stride(2, 2).build(), "conv2")
                .addLayer(DigitClassifier.FEATURES, new DenseLayer.Builder().nOut(8).activation(Activation.RELU).build(), "pool2")
                .addLayer(DigitClassifier.OUTPUT, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build(), DigitClassifier.FEATURES)
                .setOutputs(DigitClassifier.OUTPUT)
                .build();
        ComputationGraph same = new ComputationGraph(conf);
        same.init();

        assertThat(LeNetPasses.forInference(same, 10)).isEmpty();
        assertThat(LeNetPasses.forInference(DigitClassifier.create(28, 28, 10, 1).graph(), 10)).isPresent();
        // run falls back to DL4J's pass for it, row for row
        INDArray images = Nd4j.rand(DataType.FLOAT, 3, 784);
        DigitClassifier.Outputs outputs = new DigitClassifier(same).run(images.data().asFloat(), 3, 784);
        Map<String, INDArray> expected = same.feedForward(images, false);
        for (int i = 0; i < 3; i++) {
            assertThat(outputs.probabilities()[i]).containsExactly(expected.get(DigitClassifier.OUTPUT).getRow(i).toFloatVector());
            assertThat(outputs.features()[i]).containsExactly(expected.get(DigitClassifier.FEATURES).getRow(i).toFloatVector());
        }
    }
}
