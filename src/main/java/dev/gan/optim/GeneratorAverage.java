package dev.gan.optim;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An exponential moving average of the generator's parameters, updated after every generator step:
 * {@code average = decay * average + (1 - decay) * params}. Sampling from the average instead of the last
 * iterate smooths out the oscillation of GAN training (Yazici et al., "The Unusual Effectiveness of
 * Averaging in GAN Training", 2019). The training generator itself is never touched.
 */
public final class GeneratorAverage {

    private final ComputationGraph generator;
    private final double decay;
    private final INDArray average;
    private ComputationGraph averaged;

    /** Starts from {@code initial} (the generator's own parameters for a new run, a checkpoint's on resume). */
    public GeneratorAverage(ComputationGraph generator, double decay, INDArray initial) {
        this.generator = generator;
        this.decay = decay;
        this.average = initial.dup();
    }

    /** One in-place update: (average - params) * decay + params, no temporary arrays. */
    public void update() {
        INDArray params = generator.params();
        average.subi(params).muli(decay).addi(params);
    }

    /** A generator holding the averaged parameters (one copy of the network, refreshed on each call). */
    public ComputationGraph averagedGenerator() {
        if (averaged == null) {
            averaged = generator.clone();
        }
        averaged.params().assign(average);
        return averaged;
    }

    public INDArray parameters() {
        return average;
    }
}
