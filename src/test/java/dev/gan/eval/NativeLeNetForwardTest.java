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

class NativeLeNetForwardTest {

    @Test
    void givesTheGraphsFeaturesAndProbabilities() {
        DigitClassifier classifier = DigitClassifier.create(28, 28, 10, 3);
        ComputationGraph graph = classifier.graph();
        // Biases away from zero so that every term of the layers shows in the comparison.
        Nd4j.getRandom().setSeed(11);
        for (String layer : new String[] {"conv1", "conv2", DigitClassifier.FEATURES, DigitClassifier.OUTPUT}) {
            graph.getParam(layer + "_b").assign(Nd4j.randn(DataType.FLOAT, graph.getParam(layer + "_b").shape()).muli(0.1));
        }
        INDArray images = Nd4j.rand(DataType.FLOAT, 37, 784);

        INDArray[] fast = NativeLeNetForward.of(graph).orElseThrow().forward(images);
        Map<String, INDArray> expected = graph.feedForward(images, false);

        INDArray features = expected.get(DigitClassifier.FEATURES);
        INDArray probabilities = expected.get(DigitClassifier.OUTPUT);
        assertThat(fast[0].shape()).isEqualTo(features.shape());
        assertThat(features.sumNumber().doubleValue()).isGreaterThan(0); // not all dead ReLUs
        assertThat(fast[0].sub(features).amaxNumber().doubleValue())
                .isLessThan(1e-4 * features.amaxNumber().doubleValue());
        assertThat(fast[1].sub(probabilities).amaxNumber().doubleValue()).isLessThan(1e-5);
    }

    @Test
    void runUsesItAndAgreesWithTheGraphOnEveryRow() {
        DigitClassifier classifier = DigitClassifier.create(28, 28, 10, 5);
        INDArray images = Nd4j.rand(DataType.FLOAT, 12, 784);

        DigitClassifier.Outputs outputs = classifier.run(images.data().asFloat(), 12, 784);

        INDArray probabilities = classifier.graph().feedForward(images, false).get(DigitClassifier.OUTPUT);
        for (int i = 0; i < 12; i++) {
            for (int c = 0; c < 10; c++) {
                assertThat((double) outputs.probabilities()[i][c])
                        .isCloseTo(probabilities.getDouble(i, c), org.assertj.core.data.Offset.offset(1e-5));
            }
        }
    }

    @Test
    void aClassifierReadBackFromItsFileTakesTheNativePass(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        java.nio.file.Path file = tmp.resolve("classifier.zip");
        ClassifierFile.save(DigitClassifier.create(28, 28, 10, 4),
                new ClassifierFile.Info("mnist", "x", "a", "b", 10, 2, 1, 0.5, 4, null), file);

        DigitClassifier loaded = ClassifierFile.load(file).classifier();

        assertThat(NativeLeNetForward.of(loaded.graph())).isPresent();
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

        assertThat(NativeLeNetForward.of(same)).isEmpty();
        assertThat(NativeLeNetForward.of(DigitClassifier.create(28, 28, 10, 1).graph())).isPresent();
    }
}
