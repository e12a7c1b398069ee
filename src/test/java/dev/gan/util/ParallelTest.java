package dev.gan.util;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** gan's worker threads: every part runs once per run, on its own thread, and a part's failure reaches the caller. */
class ParallelTest {

    @AfterEach
    void backToOneThread() {
        Parallel.use(1);
    }

    @Test
    void everyPartRunsOncePerRunEachOnItsOwnThread() {
        Parallel.use(3);
        AtomicIntegerArray runs = new AtomicIntegerArray(3);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();

        for (int round = 0; round < 1000; round++) {
            Parallel.run(3, part -> {
                runs.incrementAndGet(part);
                threads.add(Thread.currentThread());
            });
        }

        assertThat(new int[] {runs.get(0), runs.get(1), runs.get(2)}).containsExactly(1000, 1000, 1000);
        assertThat(threads).hasSize(3).contains(Thread.currentThread());
        assertThat(Parallel.threads()).isEqualTo(3);
    }

    @Test
    void moreThreadsThanPartsLeaveTheRestIdleAndOneThreadRunsThemInOrder() {
        Parallel.use(4);
        AtomicIntegerArray runs = new AtomicIntegerArray(4);
        Parallel.run(2, runs::incrementAndGet);
        assertThat(new int[] {runs.get(0), runs.get(1), runs.get(2), runs.get(3)}).containsExactly(1, 1, 0, 0);

        Parallel.use(1);
        StringBuilder order = new StringBuilder();
        Parallel.run(3, order::append);
        assertThat(order).hasToString("012");
    }

    @Test
    void morePartsThanThreadsTakeTurnsEachThreadRunningEveryThreadsPart() {
        Parallel.use(2);
        AtomicIntegerArray runs = new AtomicIntegerArray(5);
        Thread[] ranOn = new Thread[5];

        for (int round = 0; round < 200; round++) {
            Parallel.run(5, part -> {
                runs.incrementAndGet(part);
                ranOn[part] = Thread.currentThread();
            });
        }

        assertThat(new int[] {runs.get(0), runs.get(1), runs.get(2), runs.get(3), runs.get(4)})
                .containsExactly(200, 200, 200, 200, 200);
        assertThat(new Thread[] {ranOn[0], ranOn[2], ranOn[4]}).containsOnly(Thread.currentThread());
        assertThat(ranOn[3]).isSameAs(ranOn[1]).isNotSameAs(Thread.currentThread());
    }

    @Test
    void aWorkersFailureIsThrownToTheCallerAndTheWorkersGoOn() {
        Parallel.use(2);

        assertThatThrownBy(() -> Parallel.run(2, part -> {
            if (part == 1) {
                throw new IllegalStateException("part 1 failed");
            }
        })).hasMessage("part 1 failed");

        AtomicIntegerArray runs = new AtomicIntegerArray(2);
        Parallel.run(2, runs::incrementAndGet);
        assertThat(runs.get(1)).isEqualTo(1);
    }

    @Test
    void aRunInsideAPartRunsItsPartsInOrderOnThatThread() {
        Parallel.use(2);
        String[] orders = new String[2];
        Thread[] innerThreads = new Thread[4];

        Parallel.run(2, outer -> {
            StringBuilder order = new StringBuilder();
            Parallel.run(2, inner -> {
                order.append(inner);
                innerThreads[outer * 2 + inner] = Thread.currentThread();
            });
            orders[outer] = order.toString();
        });

        assertThat(orders).containsExactly("01", "01");
        assertThat(innerThreads[0]).isSameAs(innerThreads[1]).isSameAs(Thread.currentThread());
        assertThat(innerThreads[2]).isSameAs(innerThreads[3]).isNotSameAs(Thread.currentThread());
        StringBuilder after = new StringBuilder();
        Parallel.run(2, part -> {
            synchronized (after) {
                after.append(Thread.currentThread() == innerThreads[0] ? "caller" : "worker");
            }
        });
        assertThat(after.toString()).contains("caller").contains("worker");
    }

    @Test
    void sideBySideJobsRunAtOnceEachSplittingOverItsOwnShareOfTheThreads() {
        Parallel.use(3);
        java.util.concurrent.CyclicBarrier bothStarted = new java.util.concurrent.CyclicBarrier(2);
        // Both stay until both have split: a job that has ended gives its share back to the other.
        java.util.concurrent.CyclicBarrier bothSplit = new java.util.concurrent.CyclicBarrier(2);
        int[] shares = new int[2];
        Set<Thread> firstThreads = ConcurrentHashMap.newKeySet();
        Set<Thread> secondThreads = ConcurrentHashMap.newKeySet();

        Parallel.sideBySide(() -> {
            await(bothStarted); // one after the other, neither would get past this
            shares[0] = Parallel.threads();
            Parallel.run(2, part -> firstThreads.add(Thread.currentThread()));
            await(bothSplit);
        }, () -> {
            await(bothStarted);
            shares[1] = Parallel.threads();
            Parallel.run(2, part -> secondThreads.add(Thread.currentThread()));
            await(bothSplit);
        });

        assertThat(shares).containsExactly(2, 1);
        assertThat(firstThreads).hasSize(2).contains(Thread.currentThread());
        assertThat(secondThreads).hasSize(1).doesNotContainAnyElementsOf(firstThreads);
        assertThat(Parallel.threads()).as("the caller's threads afterwards").isEqualTo(3);
    }

    @Test
    void onOneThreadSideBySideJobsRunInOrderOnTheCaller() {
        StringBuilder order = new StringBuilder();
        Set<Thread> threads = ConcurrentHashMap.newKeySet();

        Parallel.sideBySide(() -> {
            order.append("first");
            threads.add(Thread.currentThread());
        }, () -> {
            order.append(" second");
            threads.add(Thread.currentThread());
        });

        assertThat(order).hasToString("first second");
        assertThat(threads).containsExactly(Thread.currentThread());
    }

    @Test
    void aSideBySideJobsFailureIsThrownOnceBothHaveEnded() {
        Parallel.use(2);
        boolean[] firstEnded = new boolean[1];

        assertThatThrownBy(() -> Parallel.sideBySide(() -> {
            sleep(200);
            firstEnded[0] = true;
        }, () -> {
            throw new IllegalStateException("second failed");
        })).hasMessage("second failed");
        assertThat(firstEnded[0]).isTrue();

        assertThatThrownBy(() -> Parallel.sideBySide(() -> {
            throw new IllegalStateException("first failed");
        }, () -> { })).hasMessage("first failed");
        assertThat(Parallel.threads()).isEqualTo(2);
    }

    @Test
    void aJobBesideRunsWhileTheCallerGoesOnEachOnItsShareOfTheThreadsUntilItEnds() {
        Parallel.use(2);
        java.util.concurrent.CyclicBarrier bothRunning = new java.util.concurrent.CyclicBarrier(2);
        Thread caller = Thread.currentThread();

        java.util.concurrent.CountDownLatch mayEnd = new java.util.concurrent.CountDownLatch(1);

        try (Parallel.Beside<String> side = Parallel.beside(() -> {
            await(bothRunning); // run on the caller when asked, it would never get past this
            String seen = Parallel.threads() + " thread, " + (Thread.currentThread() == caller ? "the caller" : "its own");
            try {
                mayEnd.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return seen;
        })) {
            await(bothRunning);
            assertThat(Parallel.threads()).as("the caller's share while the job runs").isEqualTo(1);
            mayEnd.countDown();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (Parallel.threads() != 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(Parallel.threads()).as("the caller's threads once the job has ended, not asked yet").isEqualTo(2);
            assertThat(side.get()).isEqualTo("1 thread, its own");
            assertThat(Parallel.threads()).isEqualTo(2);
        }
    }

    @Test
    void whileAJobBesideHoldsThreadsTheCallerStillSplitsIntoTheProcesssPartsRunOnTheThreadsItHas() {
        Parallel.use(2);
        java.util.concurrent.CountDownLatch mayEnd = new java.util.concurrent.CountDownLatch(1);
        try (Parallel.Beside<Integer> side = Parallel.beside(() -> {
            try {
                mayEnd.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Parallel.parts();
        })) {
            assertThat(Parallel.threads()).as("the caller's share").isEqualTo(1);
            assertThat(Parallel.parts()).as("the parts it splits into: as with no job beside").isEqualTo(2);
            Set<Thread> threads = ConcurrentHashMap.newKeySet();
            AtomicIntegerArray runs = new AtomicIntegerArray(2);
            Parallel.run(Parallel.parts(), part -> {
                runs.incrementAndGet(part);
                threads.add(Thread.currentThread());
            });
            assertThat(new int[] {runs.get(0), runs.get(1)}).containsExactly(1, 1);
            assertThat(threads).containsExactly(Thread.currentThread());
            mayEnd.countDown();
            assertThat(side.get()).as("the job's parts, on its one thread").isEqualTo(2);
        }
        assertThat(Parallel.parts()).isEqualTo(2);
    }

    @Test
    void onOneThreadAJobBesideRunsOnTheCallerWhenItsResultIsAskedFor() {
        int[] runs = new int[1];
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        Parallel.Beside<Integer> side = Parallel.beside(() -> {
            threads.add(Thread.currentThread());
            return ++runs[0];
        });
        assertThat(runs[0]).as("before it is asked for").isZero();

        assertThat(side.get()).isEqualTo(1);
        assertThat(side.get()).as("asked again: the same result, not a second run").isEqualTo(1);
        assertThat(threads).containsExactly(Thread.currentThread());

        Parallel.Beside<Integer> unasked = Parallel.beside(() -> ++runs[0]);
        unasked.close();
        assertThat(runs[0]).as("closed unasked: it never ran").isEqualTo(1);
        assertThatThrownBy(unasked::get).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aJobBesideThrowsItsFailureWhenAskedAndClosingWaitsForIt() {
        Parallel.use(2);
        Parallel.Beside<String> failing = Parallel.beside(() -> {
            throw new IllegalStateException("the job failed");
        });
        assertThatThrownBy(failing::get).hasMessage("the job failed");

        boolean[] ended = new boolean[1];
        Parallel.Beside<Void> slow = Parallel.beside(() -> {
            sleep(200);
            ended[0] = true;
            return null;
        });
        slow.close();
        assertThat(ended[0]).as("closed: it had ended").isTrue();
        assertThat(Parallel.threads()).isEqualTo(2);
    }

    private static void await(java.util.concurrent.CyclicBarrier barrier) {
        try {
            barrier.await(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the other job did not run at the same time", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
