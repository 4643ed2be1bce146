package org.sluice.core.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.tls.TlsTimeoutException;
import org.junit.jupiter.api.Test;

class QueueDatagramTransportTest {

    private final AtomicLong clock = new AtomicLong(1_000);
    private final HandshakeDeadline deadline = new HandshakeDeadline(clock::get, Duration.ofSeconds(5));
    private final DtlsCounters counters = new DtlsCounters();
    private final List<byte[]> sent = new ArrayList<>();
    private final QueueDatagramTransport transport = new QueueDatagramTransport(
            (data, offset, length) -> sent.add(java.util.Arrays.copyOfRange(data, offset, offset + length)),
            deadline, counters, 2, 1200, 1500);

    @Test
    void handsOutQueuedDatagramsAndReportsLimits() throws IOException {
        deadline.start();
        assertThat(transport.offer(new byte[] {1, 2, 3})).isTrue();
        byte[] buf = new byte[10];

        assertThat(transport.receive(buf, 2, 8, 100)).isEqualTo(3);
        assertThat(buf).startsWith(0, 0, 1, 2, 3);
        assertThat(transport.getSendLimit()).isEqualTo(1200);
        assertThat(transport.getReceiveLimit()).isEqualTo(1500);
    }

    @Test
    void boundedQueueRefusesOverflow() {
        assertThat(transport.offer(new byte[1])).isTrue();
        assertThat(transport.offer(new byte[1])).isTrue();
        assertThat(transport.offer(new byte[1])).isFalse();
    }

    @Test
    void emptyQueueReturnsMinusOneAfterTheWaitDuringTheHandshake() throws IOException {
        deadline.start();
        assertThat(transport.receive(new byte[10], 0, 10, 5)).isEqualTo(-1);
    }

    @Test
    void oversizedDatagramIsDroppedAndCounted() throws IOException {
        deadline.start();
        transport.offer(new byte[20]);
        assertThat(transport.receive(new byte[10], 0, 10, 5)).isEqualTo(-1);
        assertThat(counters.recordsDropped()).isEqualTo(1);
    }

    @Test
    void passedDeadlineThrowsTimeout() {
        deadline.start();
        clock.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThatThrownBy(() -> transport.receive(new byte[10], 0, 10, 100)).isInstanceOf(TlsTimeoutException.class);
        assertThat(deadline.expired()).isTrue();
        assertThat(deadline.remainingMillis()).isZero();
    }

    @Test
    void closeWakesABlockedHandshakeReader() throws Exception {
        deadline.start();
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                transport.receive(new byte[10], 0, 10, 60_000);
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        Thread.sleep(20);
        transport.close();

        assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
        assertThat(transport.offer(new byte[1])).isFalse();
    }

    @Test
    void connectedModeNeverBlocks() throws IOException {
        transport.enterConnectedMode();
        transport.offer(new byte[] {7});
        byte[] buf = new byte[4];

        assertThat(transport.receive(buf, 0, 4, 60_000)).isEqualTo(1);
        assertThatThrownBy(() -> transport.receive(buf, 0, 4, 60_000)).isInstanceOf(QueueDrainedException.class);
    }

    @Test
    void sendsUntilClosed() throws IOException {
        transport.send(new byte[] {1, 2, 3, 4}, 1, 2);
        transport.close();
        transport.send(new byte[] {5}, 0, 1);

        assertThat(sent).hasSize(1);
        assertThat(sent.get(0)).containsExactly(2, 3);
    }

    @Test
    void failingSenderBecomesAnIoException() {
        QueueDatagramTransport failing = new QueueDatagramTransport((data, offset, length) -> {
            throw new IllegalStateException("channel gone");
        }, deadline, counters, 2, 1200, 1500);

        assertThatThrownBy(() -> failing.send(new byte[1], 0, 1)).isInstanceOf(IOException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
    }
}
