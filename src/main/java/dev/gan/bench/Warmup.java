package dev.gan.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * How a benchmark warms up before it times: a fixed number of untimed iterations, or ({@link #AUTO}) until the
 * JIT compiler has settled. The JIT compiles on a thread of its own for the first seconds of a run, more than a
 * hundred iterations of a DCGAN: with one computing thread it has a core to itself, with every core computing
 * it takes its time from them, so timings taken while it compiles understate what more threads give a run of
 * minutes (measured at 2 threads, DCGAN width 64 batch 100: 48 ms an iteration after 100 warm-up iterations,
 * 40 ms after 400, while one thread stayed at 70).
 */
public record Warmup(int minIterations, boolean untilSettled) {

    /** At least this many iterations, then until a block of them saw (almost) no compiling, within a minute. */
    public static final Warmup AUTO = new Warmup(20, true);

    /** A block of the settling check: at least this many iterations ... */
    static final int BLOCK_ITERATIONS = 10;
    /** ... and at least this long, so that one slow compile shows within it. */
    static final long BLOCK_NANOS = 1_000_000_000L;
    /** The JIT has settled when it compiled for at most this share of a block's wall time. */
    static final double SETTLED_SHARE = 0.01;
    /** Warming up stops here even if the JIT still compiles (then the result says so). */
    static final long LIMIT_NANOS = 60_000_000_000L;

    public Warmup {
        if (minIterations < 0) {
            throw new IllegalArgumentException("warm-up iterations must be >= 0, got " + minIterations);
        }
    }

    /** "auto", or a number of iterations (0 or more). */
    public static Warmup parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("auto")) {
            return AUTO;
        }
        try {
            return new Warmup(Integer.parseInt(t), false);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is neither auto nor a number of iterations");
        }
    }

    /** What warming up took: iterations, seconds, and whether the JIT settled (null: a fixed count, not asked). */
    public record Done(int iterations, double seconds, Boolean jitSettled) {
    }

    /** Runs {@code iteration} (given its index from 0) as long as this warm-up asks. */
    Done run(java.util.function.IntConsumer iteration) {
        long start = System.nanoTime();
        int done = 0;
        for (; done < minIterations; done++) {
            iteration.accept(done);
        }
        Boolean settled = null;
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (untilSettled && jit != null && jit.isCompilationTimeMonitoringSupported()) {
            settled = false;
            while (System.nanoTime() - start < LIMIT_NANOS) {
                long blockStart = System.nanoTime();
                long compiledMs = jit.getTotalCompilationTime();
                int n = 0;
                while (n < BLOCK_ITERATIONS || System.nanoTime() - blockStart < BLOCK_NANOS) {
                    iteration.accept(done++);
                    n++;
                }
                long wall = System.nanoTime() - blockStart;
                if ((jit.getTotalCompilationTime() - compiledMs) * 1e6 <= SETTLED_SHARE * wall) {
                    settled = true;
                    break;
                }
            }
        }
        return new Done(done, (System.nanoTime() - start) / 1e9, settled);
    }
}
