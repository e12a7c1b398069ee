package dev.gan.system;

/**
 * Frees ND4J's per-iteration garbage on a fixed schedule.
 *
 * <p>DL4J allocates activations and gradients outside workspaces in this loop; their native memory is freed
 * only when the GC collects the Java handles. Left to the JVM's heuristics that happens seldom: resident
 * memory climbs by gigabytes and every allocation touches fresh pages (measured: 28-36 ms/iteration).
 * Collecting every few iterations keeps memory flat and reuses warm pages. The collection is requested
 * from the training thread between ND4J calls, never while a native op runs: collections that strike
 * mid-op (as a tiny young generation forces) crashed ND4J 1.0.0-M2.1 in our runs.
 */
public final class NativeGarbage {

    /** Iterations between collections; {@code -Dgan.gcEvery=N} overrides (0 disables). */
    public static final int DEFAULT_INTERVAL = Integer.getInteger("gan.gcEvery", 50);

    private final int interval;

    public NativeGarbage(int interval) {
        this.interval = interval;
    }

    public static NativeGarbage standard() {
        return new NativeGarbage(DEFAULT_INTERVAL);
    }

    /**
     * The schedule for a training loop. A DCGAN trained through DL4J's graphs leaves hundreds of megabytes per
     * iteration (im2col buffers, no workspaces), so it collects after every iteration: 600 ms/iteration against
     * 1,730 ms every 50 (measured, batch 100, 64 channels). The direct steps allocate their working memory once
     * and keep the standard schedule. {@code -Dgan.gcEvery} still overrides.
     */
    public static NativeGarbage forTraining(boolean convolutional, boolean throughGraphs) {
        if (convolutional && throughGraphs && Integer.getInteger("gan.gcEvery") == null) {
            return new NativeGarbage(1);
        }
        return standard();
    }

    /** Call after each iteration with the count of completed iterations. */
    public void afterIteration(long iteration) {
        if (interval > 0 && iteration % interval == 0) {
            System.gc();
        }
    }
}
