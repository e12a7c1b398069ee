package dev.gan.train;

/**
 * How a training iteration is computed. The two give the same training up to float rounding (tested); the
 * choice is recorded in config.json because a run's exact numbers depend on it.
 */
public enum Engine {
    /** The MLP's iteration written out over the graphs' memory ({@link DirectMlpStep}); other models use GRAPH. */
    DIRECT,
    /** DL4J's ComputationGraph feed-forward and backprop methods, for every architecture. */
    GRAPH
}
