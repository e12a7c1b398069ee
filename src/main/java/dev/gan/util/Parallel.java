package dev.gan.util;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * gan's own worker threads for splitting one computation into parts: the calling thread runs part 0 and the
 * workers the rest, and {@link #run} returns when all are done. Workers wait by spinning briefly (yielding now and
 * then, for another process on the same cores), then parking,
 * so the many short splits of a training iteration (matrix multiplies of a millisecond) do not pay a wake-up each,
 * and idle workers cost nothing between runs. One set of workers per process, resized by {@link #use}; each part
 * must write its own memory, so the result does not depend on how many threads ran it. A run started inside a
 * part (a kernel split by images whose parts multiply matrices) runs its parts in order on that thread: the
 * threads are already busy, and waiting for them there would never end. Two independent jobs can also run
 * {@link #sideBySide}, each splitting its own work over its share of the threads, or one can be started
 * {@link #beside} the caller's next steps.
 */
public final class Parallel {

    /**
     * How long a worker spins for the next run before it parks: about 1.5 ms here (29 ns a spin). A parked
     * worker takes tens of microseconds to wake on a virtual machine, and a training iteration has dozens of
     * splits with serial work between them. 2,000 spins (60 us) measured 54 / 17 ms a DCGAN iteration at batch
     * 100 / 25 against 49 / 17 for 50,000 (ten interleaved runs), the MLP 6.4 against 5.9 ms. Longer spins had
     * cost OpenMP's threads a core when oneDNN's convolutions ran on them; a split batch runs them on these.
     */
    private static final int SPINS = 50_000;
    /** Spins between yields: about 2 us here. */
    private static final int YIELD_EVERY = 64;

    private static volatile Parallel shared = new Parallel(1);

    /** Where this thread stands: inside a part of a split, or running a side-by-side job on its own threads. */
    private static final class Place {
        boolean inPart;
        /** The threads of this thread's side-by-side job (null: the process's). */
        Parallel own;
    }

    private static final ThreadLocal<Place> PLACE = ThreadLocal.withInitial(Place::new);

    private final int threads;
    private final Thread[] workers;
    private final AtomicInteger generation = new AtomicInteger();
    private final AtomicInteger remaining = new AtomicInteger();
    private volatile IntConsumer task;
    private volatile int parts;
    /** The threads running the current run's parts: thread t runs parts t, t + stride, ... */
    private volatile int stride;
    private volatile Thread caller;
    private volatile Throwable failure;
    /**
     * For a caller's share while a job runs beside it: that job, and the threads the caller had before (null: the
     * process's), which are the caller's again once the job has ended.
     */
    private Beside<?> lentTo;
    private Parallel before;

    private Parallel(int threads) {
        this.threads = threads;
        workers = new Thread[threads - 1];
        for (int w = 0; w < workers.length; w++) {
            int part = w + 1;
            workers[w] = new Thread(() -> work(part), "gan-compute-" + part);
            workers[w].setDaemon(true);
            workers[w].start();
        }
    }

    /** Splits later runs over {@code threads} threads (the caller and threads - 1 workers). */
    public static synchronized void use(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive, got " + threads);
        }
        if (shared.threads != threads) {
            Parallel old = shared;
            shared = new Parallel(threads);
            old.stop();
        }
    }

    /** The threads a run is split over now (in a side-by-side job, that job's share). */
    public static int threads() {
        return pool(PLACE.get()).threads;
    }

    /**
     * How many parts a computation splits into: the process's threads ({@link #use}), also where a job beside holds
     * some of them (the parts then take turns on the threads at hand). Where a kernel blocks a part's rows
     * differently from the whole's, the split decides the float rounding; the threads at hand change at the moment
     * a job beside ends, which depends on timing, and the parts never do, so neither do the results.
     */
    public static int parts() {
        return shared.threads;
    }

    private static Parallel pool(Place place) {
        Parallel own = place.own;
        while (own != null && own.lentTo != null && own.lentTo.jobEnded) {
            own = own.before; // the job beside has ended: its share is the caller's again
        }
        return own != null ? own : shared;
    }

    /**
     * Runs {@code part} for parts 0 .. {@code count} - 1 on the {@link #threads()} at hand, and returns when all
     * have run; part i runs on thread i (the caller runs part 0), and where there are more parts than threads,
     * thread t runs parts t, t + threads, ... in turn. A part's exception is thrown here.
     */
    public static void run(int count, IntConsumer part) {
        Place place = PLACE.get();
        Parallel pool = pool(place);
        if (count <= 1 || pool.threads == 1 || place.inPart) {
            for (int i = 0; i < count; i++) {
                part.accept(i);
            }
            return;
        }
        pool.split(count, part);
    }

    /**
     * Runs two independent jobs at once, each splitting its work over its own share of the threads (the first
     * the larger half), and returns when both are done; with one thread, or inside a part, one after the other.
     * For jobs whose splits gain little (short or serial passes): side by side each keeps its threads busy. The
     * second runs on a thread of its own; a job's exception is thrown here once both have ended.
     */
    public static void sideBySide(Runnable first, Runnable second) {
        try (Beside<Void> side = beside(() -> {
            second.run();
            return null;
        })) {
            first.run();
            side.get();
        }
    }

    /**
     * Starts {@code job} beside the caller's own work: on a thread of its own, splitting over its share of the
     * threads (half, rounded down), while the caller's runs split over the rest until the job ends (a job that
     * waits keeps its share). With one thread, or inside a part, nothing starts: the job runs on the caller when
     * its result is first asked for, so one thread does the same work in the same order as without it. For
     * independent work that can begin before the caller's next steps, which would leave a core idle meanwhile.
     */
    public static <T> Beside<T> beside(Supplier<T> job) {
        Place place = PLACE.get();
        Parallel pool = pool(place);
        if (pool.threads == 1 || place.inPart) {
            return new Beside<>(job, null, null);
        }
        Parallel callerThreads = new Parallel(pool.threads - pool.threads / 2);
        Parallel jobThreads = new Parallel(pool.threads / 2);
        Beside<T> beside = new Beside<>(job, place, callerThreads);
        callerThreads.lentTo = beside;
        callerThreads.before = place.own;
        place.own = callerThreads;
        Thread thread = new Thread(() -> {
            PLACE.get().own = jobThreads;
            try {
                beside.compute();
            } finally {
                jobThreads.stop();
                beside.jobEnded = true;
            }
        }, "gan-side-job");
        thread.setDaemon(true);
        beside.thread = thread;
        beside.computed = true;
        thread.start();
        return beside;
    }

    /**
     * A job started by {@link #beside}: its result, and the caller's share of the threads back, once it has
     * ended. To be asked for and closed on the thread that started it.
     */
    public static final class Beside<T> implements Supplier<T>, AutoCloseable {
        private final Supplier<T> job;
        private final Place callerPlace;
        /** The caller's share while the job runs (its {@code before}: what the caller had); null on one thread. */
        private final Parallel callerThreads;
        private Thread thread;
        /** Set by the job's thread when the job has ended: the caller's runs take its share back. */
        private volatile boolean jobEnded;
        private boolean ended;
        /** Whether the job ran (or is running on its thread): not when closed unasked with one thread. */
        private boolean computed;
        private T value;
        private Throwable failure;

        private Beside(Supplier<T> job, Place callerPlace, Parallel callerThreads) {
            this.job = job;
            this.callerPlace = callerPlace;
            this.callerThreads = callerThreads;
        }

        private void compute() {
            try {
                value = job.get();
            } catch (Throwable t) {
                failure = t;
            }
        }

        /** The job's result: waits for it to end (or runs it here, where it did not start); its exception is thrown. */
        @Override
        public T get() {
            if (thread == null && !ended) {
                ended = true;
                computed = true;
                compute();
            }
            end();
            if (!computed) {
                throw new IllegalStateException("closed before its result was asked for: the job never ran");
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            return value;
        }

        /** Waits for a started job to end, dropping its result; one that has not started never runs. */
        @Override
        public void close() {
            end();
        }

        private void end() {
            if (ended && thread == null) {
                return;
            }
            ended = true;
            if (thread != null) {
                callerPlace.own = callerThreads.before;
                callerThreads.stop();
                joinUninterruptibly(thread);
                thread = null;
            }
        }
    }

    /** Waits for {@code thread} to end, keeping an interrupt for the caller to see afterwards. */
    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void split(int count, IntConsumer part) {
        int running = Math.min(count, threads);
        failure = null;
        task = part;
        parts = count;
        stride = running;
        caller = Thread.currentThread();
        remaining.set(running - 1);
        generation.incrementAndGet();
        for (int w = 0; w < running - 1; w++) {
            LockSupport.unpark(workers[w]);
        }
        Place place = PLACE.get();
        place.inPart = true;
        try {
            for (int i = 0; i < count; i += running) {
                part.accept(i);
            }
        } finally {
            place.inPart = false;
        }
        int spins = 0;
        while (remaining.get() > 0) {
            if (++spins < SPINS) {
                pause(spins);
            } else {
                LockSupport.parkNanos(this, 10_000);
            }
        }
        task = null;
        if (failure != null) {
            throw failure instanceof RuntimeException e ? e : new IllegalStateException(failure);
        }
    }

    /**
     * One turn of a spin: a CPU hint, and every {@link #YIELD_EVERY} turns a yield. The yield costs a fraction of
     * a microsecond when nothing else waits for this core, and gives it up when something does: another process
     * computing on the same cores, whose spinning threads would otherwise hold each core for whole time slices
     * while the thread with the work waits (an MLP benchmark beside a training run: 40 ms an iteration, not 5).
     */
    private static void pause(int spins) {
        if (spins % YIELD_EVERY == 0) {
            Thread.yield();
        } else {
            Thread.onSpinWait();
        }
    }

    private void work(int part) {
        PLACE.get().inPart = true;
        int seen = 0;
        while (!Thread.currentThread().isInterrupted()) {
            int spins = 0;
            while (generation.get() == seen) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                if (++spins < SPINS) {
                    pause(spins);
                } else {
                    LockSupport.park(this);
                }
            }
            seen = generation.get();
            int running = stride;
            if (part < running) {
                try {
                    for (int i = part; i < parts; i += running) {
                        task.accept(i);
                    }
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    if (remaining.decrementAndGet() == 0) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        }
    }

    private void stop() {
        for (Thread worker : workers) {
            worker.interrupt();
        }
    }
}
