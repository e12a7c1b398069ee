package dev.gan.eval;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classifier's hand-written training step computes what DL4J's fit computes, to float rounding: the two
 * {@link DigitClassifier#step}s {@code gan classifier train} and {@code gan bench --arch lenet} choose between.
 */
class DirectLeNetTrainingTest {

    private static final int BATCH = 8;

    @Test
    void stepsMatchDl4jsFit() {
        DigitClassifier oursClassifier = DigitClassifier.create(28, 28, 10, 3);
        DigitClassifier dl4jClassifier = DigitClassifier.create(28, 28, 10, 3);
        ComputationGraph ours = oursClassifier.graph();
        ComputationGraph dl4j = dl4jClassifier.graph();
        ClassifierStep direct = oursClassifier.step(BATCH, true);
        ClassifierStep fit = dl4jClassifier.step(BATCH, false);
        assertThat(direct.direct()).isTrue();
        assertThat(fit.direct()).isFalse();
        Random random = new Random(5);
        for (int step = 0; step < 4; step++) {
            float[] pixels = new float[BATCH * 784];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = random.nextFloat() < 0.3f ? random.nextFloat() : 0f;
            }
            int[] labels = new int[BATCH];
            for (int i = 0; i < BATCH; i++) {
                labels[i] = random.nextInt(10);
            }
            double loss = direct.fit(pixels, labels, 0);
            double dl4jLoss = fit.fit(pixels, labels, 0);
            assertThat(loss).as("loss at %d", step).isCloseTo(dl4jLoss, org.assertj.core.data.Percentage.withPercentage(0.1));
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
