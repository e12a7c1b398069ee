package dev.gan.eval;

import dev.gan.data.ImageDataset;
import dev.gan.system.NativeGarbage;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * A LeNet-style digit classifier as a DL4J ComputationGraph: two 5x5 convolutions with max pooling, a
 * 128-wide dense layer whose activations are the features for the Frechet distance, and a softmax.
 */
public final class DigitClassifier {

    public static final String INPUT = "image";
    public static final String FEATURES = "features";
    public static final String OUTPUT = "classes";
    /** Images per pass: enough for the multiplies to run at speed, few enough for working arrays of a few MB. */
    private static final int BATCH = 100;

    private final ComputationGraph graph;
    /**
     * gan's own forward pass when the graph has the layout {@link #create} builds on the CPU, else empty (DL4J's);
     * null until the first {@link #run} looks.
     */
    private Optional<LeNetPasses> passes;

    /** Batches run through DL4J's pass so far, for the garbage schedule. */
    private long batchesRun;

    public DigitClassifier(ComputationGraph graph) {
        this.graph = graph;
    }

    public ComputationGraph graph() {
        return graph;
    }

    /** Pixels per image the classifier takes (from the flat-to-image reshaping in front of the first convolution). */
    public int imageSize() {
        var vertex = (org.deeplearning4j.nn.conf.graph.LayerVertex) graph.getConfiguration().getVertices().get("conv1");
        var reshape = (org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor) vertex.getPreProcessor();
        return (int) (reshape.getInputHeight() * reshape.getInputWidth() * reshape.getNumChannels());
    }

    /** Classes the classifier tells apart (the width of its output layer). */
    public int numClasses() {
        return (int) ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) graph.getLayer(OUTPUT).conf().getLayer()).getNOut();
    }

    public static DigitClassifier create(int rows, int cols, int classes, long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutionalFlat(rows, cols, 1))
                .addLayer("conv1", new ConvolutionLayer.Builder(5, 5).nOut(20).activation(Activation.RELU).build(), INPUT)
                .addLayer("pool1", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2).stride(2, 2).build(), "conv1")
                .addLayer("conv2", new ConvolutionLayer.Builder(5, 5).nOut(50).activation(Activation.RELU).build(), "pool1")
                .addLayer("pool2", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2).stride(2, 2).build(), "conv2")
                .addLayer(FEATURES, new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build(), "pool2")
                .addLayer(OUTPUT, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                        .activation(Activation.SOFTMAX).build(), FEATURES)
                .setOutputs(OUTPUT)
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return new DigitClassifier(graph);
    }

    /**
     * A training step at batches of {@code batch} images: gan's own passes ({@link DirectLeNetTraining}, the step
     * {@link #train} takes) when {@code direct} is asked for and the graph is the classifier's own layout on the
     * CPU, else DL4J's {@code fit} on arrays made for each batch.
     */
    public ClassifierStep step(int batch, boolean direct) {
        Optional<DirectLeNetTraining> own = direct ? DirectLeNetTraining.of(graph, batch) : Optional.empty();
        if (own.isPresent()) {
            return own.get();
        }
        int classes = numClasses();
        int size = imageSize();
        return new ClassifierStep() {
            public double fit(float[] pixels, int[] labels, int epoch) {
                float[] oneHot = new float[batch * classes];
                for (int i = 0; i < batch; i++) {
                    oneHot[i * classes + labels[i]] = 1f;
                }
                graph.fit(new INDArray[] {Nd4j.create(pixels, new long[] {batch, size}, 'c')},
                        new INDArray[] {Nd4j.create(oneHot, new long[] {batch, classes}, 'c')});
                return graph.score();
            }

            public boolean direct() {
                return false;
            }
        };
    }

    /** Trains on images [0, trainCount) of {@code data} in shuffled mini-batches; reports each finished epoch. */
    public void train(ImageDataset data, int trainCount, int epochs, int batchSize, long seed, IntConsumer epochDone) {
        int size = data.imageSize();
        int[] order = new int[trainCount];
        Random random = new Random(seed);
        // The classifier's own layout trains through the direct step (about ten times DL4J's fit on this CPU).
        DirectLeNetTraining direct = DirectLeNetTraining.of(graph, batchSize).orElse(null);
        // DL4J's fit takes rows of whole-set arrays; the direct step copies its batch itself (60,000 digits as
        // one more float array would be 188 MB of heap and as much native memory for nothing).
        INDArray images = null;
        INDArray labels = null;
        if (direct == null) {
            images = Nd4j.create(java.util.Arrays.copyOf(data.pixels(), trainCount * size), new long[] {trainCount, size}, 'c');
            float[] oneHot = new float[trainCount * data.numClasses()];
            for (int i = 0; i < trainCount; i++) {
                oneHot[i * data.numClasses() + data.label(i)] = 1f;
            }
            labels = Nd4j.create(oneHot, new long[] {trainCount, data.numClasses()}, 'c');
        }
        float[] batchPixels = new float[batchSize * size];
        int[] batchLabels = new int[batchSize];
        for (int epoch = 1; epoch <= epochs; epoch++) {
            for (int i = 0; i < trainCount; i++) {
                order[i] = i;
            }
            for (int i = trainCount - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int start = 0; start + batchSize <= trainCount; start += batchSize) {
                int[] rows = java.util.Arrays.copyOfRange(order, start, start + batchSize);
                if (direct != null) {
                    for (int i = 0; i < batchSize; i++) {
                        System.arraycopy(data.pixels(), rows[i] * size, batchPixels, i * size, size);
                        batchLabels[i] = data.label(rows[i]);
                    }
                    direct.fit(batchPixels, batchLabels, epoch - 1);
                } else {
                    graph.fit(new INDArray[] {Nd4j.pullRows(images, 1, rows)},
                            new INDArray[] {Nd4j.pullRows(labels, 1, rows)});
                }
            }
            epochDone.accept(epoch);
        }
    }

    /**
     * Class probabilities and features of {@code count} images: row i of each belongs to image i. One call at a
     * time: the passes' arrays are the classifier's.
     */
    public synchronized Outputs run(float[] pixels, int count, int imageSize) {
        if (passes == null) {
            passes = LeNetPasses.forInference(graph, BATCH);
        }
        float[][] probabilities = new float[count][];
        float[][] features = new float[count][];
        if (passes.isPresent()) {
            LeNetPasses lenet = passes.get();
            for (int start = 0; start < count; start += BATCH) {
                int n = Math.min(BATCH, count - start);
                System.arraycopy(pixels, start * imageSize, lenet.images, 0, n * imageSize);
                lenet.forward(n);
                for (int i = 0; i < n; i++) {
                    features[start + i] = java.util.Arrays.copyOfRange(lenet.hidden, i * lenet.features,
                            (i + 1) * lenet.features);
                    probabilities[start + i] = new float[lenet.classes];
                    lenet.softmax(i, probabilities[start + i], 0);
                }
            }
            return new Outputs(probabilities, features);
        }
        // DL4J's native buffers are freed by the GC, and its convolution layers leave so much that collecting
        // after every batch paid off.
        NativeGarbage garbage = new NativeGarbage(1);
        for (int start = 0; start < count; start += BATCH) {
            int n = Math.min(BATCH, count - start);
            INDArray batch = Nd4j.create(java.util.Arrays.copyOfRange(pixels, start * imageSize, (start + n) * imageSize),
                    new long[] {n, imageSize}, 'c');
            Map<String, INDArray> activations = graph.feedForward(batch, false);
            float[] p = activations.get(OUTPUT).dup('c').data().asFloat();
            float[] f = activations.get(FEATURES).dup('c').data().asFloat();
            int classes = p.length / n;
            int width = f.length / n;
            for (int i = 0; i < n; i++) {
                probabilities[start + i] = java.util.Arrays.copyOfRange(p, i * classes, (i + 1) * classes);
                features[start + i] = java.util.Arrays.copyOfRange(f, i * width, (i + 1) * width);
            }
            garbage.afterIteration(++batchesRun);
        }
        return new Outputs(probabilities, features);
    }

    /** Fraction of images [from, to) whose most probable class is their label. */
    public double accuracy(ImageDataset data, int from, int to) {
        int size = data.imageSize();
        float[] pixels = java.util.Arrays.copyOfRange(data.pixels(), from * size, to * size);
        Outputs outputs = run(pixels, to - from, size);
        int correct = 0;
        for (int i = 0; i < to - from; i++) {
            correct += argMax(outputs.probabilities()[i]) == data.label(from + i) ? 1 : 0;
        }
        return correct / (double) (to - from);
    }

    public static int argMax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Softmax outputs and penultimate-layer features, one row per image. */
    public record Outputs(float[][] probabilities, float[][] features) {
    }
}
