package dev.gan.train;

import dev.gan.model.ModelSpec;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** Judges the generator during training (gan train --eval-every); the eval package supplies the real one. */
@FunctionalInterface
public interface EpochEvaluator {

    /** The quality figures that go into metrics.csv; {@code labelAccuracy} is null for a plain GAN. */
    record Quality(double classifierScore, double frechetDistance, Double labelAccuracy) {
    }

    Quality evaluate(ComputationGraph generator, ModelSpec spec, int epoch);
}
