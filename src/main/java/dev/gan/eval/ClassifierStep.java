package dev.gan.eval;

/**
 * One training step of a {@link DigitClassifier} at a fixed batch size ({@link DigitClassifier#step}): gan's own
 * passes, which {@code gan classifier train} runs for each batch, or DL4J's {@code fit}; {@code gan bench --arch
 * lenet} times either.
 */
public interface ClassifierStep {

    /**
     * One Adam step on a batch: {@code pixels} holds the images (flat rows), {@code labels} their classes. Returns
     * the batch's mean cross-entropy.
     */
    double fit(float[] pixels, int[] labels, int epoch);

    /** Whether the step is gan's own passes ({@link DirectLeNetTraining}) rather than DL4J's {@code fit}. */
    boolean direct();
}
