package dev.gan.train;

/**
 * How a training iteration is computed. The two give the same training up to float rounding (tested); the
 * choice is recorded in config.json because a run's exact numbers depend on it.
 */
public enum Engine {
    /**
     * The iteration written out over the graphs' memory: {@link DirectMlpStep} for the MLPs (not with dropout in
     * D), {@link DirectDcganStep} for the DCGAN; any other layout falls back to GRAPH, saying why at INFO.
     */
    DIRECT,
    /** DL4J's ComputationGraph feed-forward and backprop methods, for every architecture. */
    GRAPH
}
