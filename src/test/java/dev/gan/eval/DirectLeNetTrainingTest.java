package dev.gan.eval;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The classifier's hand-written training step computes what DL4J's fit computes, to float rounding. */
class DirectLeNetTrainingTest {

    private static final int BATCH = 8;

    @Test
    void stepsMatchDl4jsFit() {
        ComputationGraph ours = DigitClassifier.create(28, 28, 10, 3).graph();
        ComputationGraph dl4j = DigitClassifier.create(28, 28, 10, 3).graph();
        DirectLeNetTraining direct = DirectLeNetTraining.of(ours, BATCH).orElseThrow();
        Random random = new Random(5);
        for (int step = 0; step < 4; step++) {
            float[] pixels = new float[BATCH * 784];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = random.nextFloat() < 0.3f ? random.nextFloat() : 0f;
            }
            int[] labels = new int[BATCH];
            float[] oneHot = new float[BATCH * 10];
            for (int i = 0; i < BATCH; i++) {
                labels[i] = random.nextInt(10);
                oneHot[i * 10 + labels[i]] = 1f;
            }
            double loss = direct.fit(pixels, labels, 0);
            INDArray features = Nd4j.create(pixels, new long[] {BATCH, 784}, 'c');
            INDArray targets = Nd4j.create(oneHot, new long[] {BATCH, 10}, 'c');
            dl4j.fit(new INDArray[] {features}, new INDArray[] {targets});
            assertThat(loss).as("loss at %d", step).isCloseTo(dl4j.score(), org.assertj.core.data.Percentage.withPercentage(0.1));
        }
        assertThat(ours.getConfiguration().getIterationCount()).isEqualTo(dl4j.getConfiguration().getIterationCount());
        for (String param : ours.paramTable().keySet()) {
            INDArray a = ours.getParam(param);
            INDArray b = dl4j.getParam(param);
            double scale = Math.max(b.amaxNumber().doubleValue(), 1e-3);
            assertThat(a.sub(b).amaxNumber().doubleValue() / scale).as(param).isLessThan(1e-4);
        }
    }
}
