package dev.gan.config;

/**
 * How a training iteration is computed. Both give the same training up to float rounding (tested); the choice is
 * recorded in config.json because a run's exact numbers depend on it. What each one trains is said in one place,
 * the engine package's Engines.
 */
public enum Engine {
    /** The iteration written out over the graphs' memory (OpenBLAS, oneDNN, Java loops): the CPU's fast path. */
    DIRECT,
    /** DL4J's ComputationGraph feed-forward and backprop methods: every architecture, every backend. */
    GRAPH
}
