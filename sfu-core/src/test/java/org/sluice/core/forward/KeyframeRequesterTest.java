package org.sluice.core.forward;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class KeyframeRequesterTest {

    private static final long INTERVAL = 300_000_000L;

    private final AtomicLong now = new AtomicLong(-7_000_000_000L); // nanoTime may be negative
    private final List<Long> sent = new CopyOnWriteArrayList<>();
    private final KeyframeRequester requester = new KeyframeRequester(0xABCDL, sent::add, now::get, INTERVAL);

    @Test
    void theFirstRequestGoesOutAtOnce() {
        assertThat(requester.request()).isTrue();
        assertThat(sent).containsExactly(0xABCDL);
        assertThat(requester.requestsSent()).isEqualTo(1);
        assertThat(requester.requestsSuppressed()).isZero();
    }

    @Test
    void requestsWithinTheIntervalAreSuppressed() {
        requester.request();
        now.addAndGet(INTERVAL - 1);
        assertThat(requester.request()).isFalse();
        assertThat(requester.request()).isFalse();
        assertThat(sent).hasSize(1);
        assertThat(requester.requestsSuppressed()).isEqualTo(2);

        now.addAndGet(1); // exactly one interval after the first
        assertThat(requester.request()).isTrue();
        assertThat(sent).hasSize(2);
    }

    @Test
    void theIntervalCountsFromTheLastRequestSentNotTheLastAsked() {
        requester.request();
        for (int i = 0; i < 10; i++) {
            now.addAndGet(INTERVAL / 10);
            requester.request();
        }
        // 10 × 30 ms = 300 ms after the first: the tenth ask went out; suppressed asks did not push it back.
        assertThat(sent).hasSize(2);
        assertThat(requester.requestsSuppressed()).isEqualTo(9);
    }

    @Test
    void aSteadyStreamOfAsksYieldsOneRequestPerInterval() {
        for (int ms = 0; ms < 3000; ms++) {
            requester.request();
            now.addAndGet(1_000_000L);
        }
        assertThat(sent).hasSize(10);
        assertThat(requester.requestsSent() + requester.requestsSuppressed()).isEqualTo(3000);
    }

    @Test
    void concurrentCallersGetOneRequestPerInterval() throws Exception {
        int threads = 4;
        int perThread = 2000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 3; round++) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Integer>> results = new java.util.ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    results.add(pool.submit(() -> {
                        go.await();
                        int granted = 0;
                        for (int i = 0; i < perThread; i++) {
                            if (requester.request()) {
                                granted++;
                            }
                        }
                        return granted;
                    }));
                }
                go.countDown();
                int granted = 0;
                for (Future<Integer> f : results) {
                    granted += f.get(10, TimeUnit.SECONDS);
                }
                assertThat(granted).isEqualTo(1);
                assertThat(sent).hasSize(round + 1);
                now.addAndGet(INTERVAL);
            }
            assertThat(requester.requestsSent()).isEqualTo(3);
            assertThat(requester.requestsSuppressed()).isEqualTo(3L * threads * perThread - 3);
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }
}
