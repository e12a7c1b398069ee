package dev.gan.util;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A prefetched value: read on a thread of its own when there are threads to spare, else when asked for. */
class PrefetchTest {

    @AfterEach
    void backToOneThread() {
        Parallel.use(1);
    }

    @Test
    void onTwoThreadsTheValueIsComputedElsewhereBeforeAnyoneAsks() throws InterruptedException {
        Parallel.use(2);
        CountDownLatch computed = new CountDownLatch(1);
        Thread[] computedOn = new Thread[1];

        Prefetch<String> value = Prefetch.start(() -> {
            computedOn[0] = Thread.currentThread();
            computed.countDown();
            return "digits";
        });

        assertThat(computed.await(10, TimeUnit.SECONDS)).as("computed without a get").isTrue();
        assertThat(value.get()).isEqualTo("digits");
        assertThat(computedOn[0]).isNotSameAs(Thread.currentThread());
    }

    @Test
    void onOneThreadTheValueIsComputedOnceWhenFirstAskedForOnTheCaller() {
        int[] runs = new int[1];
        Thread[] computedOn = new Thread[1];

        Prefetch<String> value = Prefetch.start(() -> {
            runs[0]++;
            computedOn[0] = Thread.currentThread();
            return "digits";
        });

        assertThat(runs[0]).isZero();
        assertThat(value.get()).isEqualTo("digits");
        assertThat(value.get()).isEqualTo("digits");
        assertThat(runs[0]).isEqualTo(1);
        assertThat(computedOn[0]).isSameAs(Thread.currentThread());
    }

    @Test
    void theComputationsExceptionIsThrownByGet() {
        Parallel.use(2);

        Prefetch<String> value = Prefetch.start(() -> {
            throw new IllegalStateException("unreadable");
        });

        assertThatThrownBy(value::get).isInstanceOf(IllegalStateException.class).hasMessage("unreadable");
    }
}
