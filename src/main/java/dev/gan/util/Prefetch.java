package dev.gan.util;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * A value computed on a thread of its own while the caller goes on, when the caller computes on more than one
 * thread ({@link Parallel#threads()}); on one, computed when first asked for. For input a later step needs whose
 * reading would otherwise hold up the steps before it, which leave a core idle.
 */
public final class Prefetch<T> implements Supplier<T> {

    private final FutureTask<T> task;

    private Prefetch(Supplier<T> computation) {
        task = new FutureTask<>(computation::get);
    }

    /** Starts {@code computation} now on a thread of its own when there are threads to spare. */
    public static <T> Prefetch<T> start(Supplier<T> computation) {
        Prefetch<T> prefetch = new Prefetch<>(computation);
        if (Parallel.threads() > 1) {
            Thread thread = new Thread(prefetch.task, "gan-prefetch");
            thread.setDaemon(true);
            thread.start();
        }
        return prefetch;
    }

    /** The value, computed here if no thread has started on it; waits for one that has. Its exception is thrown here. */
    @Override
    public T get() {
        task.run(); // returns at once when the computation has run or is running
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a value being read", e);
        }
    }
}
