package dev.gan.engine;

import dev.gan.config.Engine;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * The engine contract: how an iteration's three passes are computed, chosen once per trainer by {@link Engines}:
 * G forward, then an Adam update of D on real and fake images, then an Adam update of G through D, the loss being
 * the run's {@link AdversarialLoss}. {@link GraphStep} uses DL4J's graph methods (any architecture);
 * {@link DirectMlpStep} and {@link DirectDcganStep} compute the passes themselves over the same graphs' memory.
 * The trainer does what is common: noise, labels, targets, the moving average.
 *
 * <p>Arrays are the trainer's buffers: D's batch is packed (pack images per row, real rows first), G's are
 * one image per row.
 */
public interface TrainingStep {

    /** G in training mode on {@code noise} (and {@code labels}; null for a plain GAN), its images in {@code fakes};
     * returns the fake batch that {@link #updateGenerator} must be given (G's output as its backward pass needs). */
    INDArray generate(INDArray noise, INDArray labels, INDArray fakes);

    /** One update of D towards {@code targets} on the packed batch; returns {loss, mean D(x), mean D(G(z))}. */
    double[] updateDiscriminator(INDArray images, INDArray labels, INDArray targets, int iteration, int epoch);

    /**
     * One update of G: D (as updated) judges this iteration's {@code fakes} (with {@code fakeLabelsPacked} as D
     * sees them) and the loss flows back through D into G. Returns G's loss.
     */
    double updateGenerator(INDArray noise, INDArray labels, INDArray fakes, INDArray fakeLabelsPacked, int iteration,
                           int epoch);

    /** Which engine computes the passes. */
    Engine engine();

    /**
     * How well D reads InfoGAN's code back at the last G step: the mean cross-entropy over the fakes (ln 10 = 2.30
     * is chance); NaN without a code head.
     */
    default double codeLoss() {
        return Double.NaN;
    }

    /**
     * What the step keeps from iteration to iteration besides the networks and their Adam state (spectral norm's
     * power-iteration vectors), by name, for a checkpoint; empty when nothing.
     */
    default Map<String, float[]> state() {
        return Map.of();
    }

    /** Takes back what {@link #state()} gave, so a resumed run computes what the uninterrupted one would. */
    default void restore(Map<String, float[]> state) {
    }
}
