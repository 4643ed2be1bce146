package org.sluice.core.metrics;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.core.engine.EngineConfig;
import org.sluice.core.engine.SfuEngine;
import org.sluice.core.testing.AdjustableNanoClock;
import org.sluice.core.testing.SimulatedPublisher;
import org.sluice.core.testing.SimulatedViewer;
import org.sluice.core.testing.Waits;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

class EngineMetricsTest {

    private static final Duration CONNECT = Duration.ofSeconds(5);

    private SfuEngine engine;
    private SimpleMeterRegistry registry;

    @BeforeEach
    void start() throws Exception {
        engine = SfuEngine.start(EngineConfig.loopback().withMediaLoops(1), Clock.systemUTC(), new AdjustableNanoClock());
        registry = new SimpleMeterRegistry();
        new EngineMetrics(engine).bindTo(registry);
    }

    @AfterEach
    void stop() {
        engine.close();
        registry.close();
    }

    @Test
    void theAllocatorGaugesWatchTheAllocatorTheMediaPathUses() {
        io.netty.buffer.ByteBufAllocator media = engine.mediaAllocator();
        String type = media.getClass().getSimpleName();
        assertThat(registry.find("netty.allocator.memory.used").tag("allocator.type", type).gauges())
                .as("gauges of %s", type).isNotEmpty();
        assertThat(registry.find("netty.allocator.memory.used").tag("allocator.type", "PooledByteBufAllocator")
                .gauges()).as("not of an allocator the media path does not use").isEmpty();
        java.util.List<io.netty.buffer.ByteBuf> held = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 64; i++) {
                held.add(media.directBuffer(64 * 1024));
            }
            double shown = registry.get("netty.allocator.memory.used").tag("allocator.type", type)
                    .tag("memory.type", "direct").gauge().value();
            long used = ((io.netty.buffer.ByteBufAllocatorMetricProvider) media).metric().usedDirectMemory();
            assertThat(shown).as("the gauge reads the media allocator").isEqualTo((double) used);
            assertThat(shown).as("with 4 MiB taken from it").isGreaterThanOrEqualTo(4 << 20);
        } finally {
            held.forEach(io.netty.buffer.ByteBuf::release);
        }
    }

    @Test
    void anIdleEngineReportsZeroEverywhere() {
        assertThat(gauge("sluice.sessions")).isZero();
        assertThat(gauge("sluice.rooms")).isZero();
        assertThat(gauge("sluice.publishers")).isZero();
        assertThat(gauge("sluice.viewers")).isZero();
        assertThat(gauge("sluice.transports.open")).isZero();
        assertThat(counter("sluice.packets.forwarded")).isZero();
        assertThat(counter("sluice.bytes.forwarded")).isZero();
        assertThat(counter("sluice.keyframe.requests.sent")).isZero();
        assertThat(counter("sluice.datagrams.received")).isZero();
        assertThat(counter("sluice.packets.sent")).isZero();
        assertThat(registry.get("sluice.packets.dropped").functionCounters()).hasSize(18);
        assertThat(registry.get("sluice.packets.dropped").tag("reason", "udp_send_error").functionCounter().count())
                .isZero();
        assertThat(registry.get("sluice.packets.dropped").tag("reason", "dtls_queue_full").functionCounter().count())
                .isZero();
        assertThat(registry.get("sluice.packets.dropped").tag("reason", "srtp_stream_limit").functionCounter().count())
                .isZero();
        assertThat(registry.get("sluice.packets.dropped").tag("reason", "mailbox_full").functionCounter().count())
                .isZero();
        if (java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/net/udp"))) {
            // the kernel's drops on the media port: none on a fresh, idle engine, and still read after a GC
            System.gc();
            assertThat(registry.get("sluice.udp.kernel.drops").functionCounter().count()).isZero();
            assertThat(registry.get("sluice.udp.receive.queue").gauge().value()).isZero();
        }
        assertThat(registry.get("sluice.datachannels.open").gauge().value()).isZero();
        assertThat(registry.get("sluice.datachannel.dropped").functionCounters()).hasSize(14);
        assertThat(registry.get("sluice.data.socket.messages").functionCounters()).hasSize(2);
        assertThat(registry.get("sluice.sctp.retransmissions").tag("kind", "all").functionCounter().count()).isZero();
    }

    @Test
    void functionMetersFollowTheEngineCounters() {
        engine.transportCounters().srtpAuthFailed.add(3);
        engine.transportCounters().stunMalformed.increment();
        engine.transportCounters().dtlsHandshakes.add(2);
        engine.transportCounters().dtlsHandshakeNanos.add(TimeUnit.MILLISECONDS.toNanos(30));
        engine.transportCounters().dtlsFailures.increment();
        engine.networkCounters().datagramsIn.add(7);
        engine.networkCounters().bytesIn.add(700);

        assertThat(registry.get("sluice.packets.dropped").tag("reason", "srtp_auth_failed").functionCounter().count())
                .isEqualTo(3);
        assertThat(registry.get("sluice.packets.dropped").tag("reason", "stun_malformed").functionCounter().count())
                .isEqualTo(1);
        assertThat(registry.get("sluice.packets.dropped").tag("reason", "unknown_sender").functionCounter().count())
                .isZero();
        assertThat(registry.get("sluice.srtp.failures").tag("kind", "auth").functionCounter().count()).isEqualTo(3);
        assertThat(counter("sluice.dtls.handshakes")).isEqualTo(2);
        assertThat(counter("sluice.dtls.failures")).isEqualTo(1);
        FunctionTimer time = registry.get("sluice.dtls.handshake.time").functionTimer();
        assertThat(time.count()).isEqualTo(2);
        assertThat(time.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(30);
        assertThat(counter("sluice.datagrams.received")).isEqualTo(7);
        assertThat(counter("sluice.bytes.received")).isEqualTo(700);
    }

    @Test
    void forwardedPacketsAndSessionsAreCountedAndSurviveTheViewerLeaving() throws Exception {
        int sent = 0;
        try (SimulatedPublisher publisher = SimulatedPublisher.start(engine, "room", "pub", CONNECT)) {
            try (SimulatedViewer viewer = SimulatedViewer.start(engine, "room", "viewer", CONNECT)) {
                assertThat(gauge("sluice.publishers")).isEqualTo(1);
                assertThat(gauge("sluice.viewers")).isEqualTo(1);
                assertThat(gauge("sluice.rooms")).isEqualTo(1);
                await("receivers attached", () -> engine.session(viewer.sessionId()).transport().isConnected()
                        && engine.session(publisher.sessionId()).room()
                        .slot(org.sluice.core.forward.MediaKind.VIDEO).receiverCount() == 1);
                publisher.sendDeltaFrame((byte) 0x70); // no keyframe yet: the viewer asks for one
                publisher.sendKeyFrame((byte) 1);
                sent++;
                for (int i = 2; i <= 10; i++) {
                    publisher.sendDeltaFrame((byte) i);
                    sent++;
                }
                viewer.peer().awaitRtp(p -> true, sent, Duration.ofSeconds(2));
                await("forwarded count", () -> counter("sluice.packets.forwarded") >= 10);
                assertThat(counter("sluice.bytes.forwarded")).isPositive();
                // Everything the sockets sent: the forwarded media plus STUN, DTLS and RTCP.
                assertThat(counter("sluice.packets.sent")).isGreaterThan(counter("sluice.packets.forwarded"));
                assertThat(counter("sluice.bytes.sent")).isGreaterThan(counter("sluice.bytes.forwarded"));
                await("a PLI sent", () -> counter("sluice.keyframe.requests.sent") >= 1);
            }
            double forwarded = counter("sluice.packets.forwarded");
            await("viewer gone", () -> gauge("sluice.viewers") == 0);
            assertThat(counter("sluice.packets.forwarded")).as("retired totals keep the count")
                    .isGreaterThanOrEqualTo(forwarded);
        }
        await("sessions gone", () -> gauge("sluice.sessions") == 0);
        assertThat(counter("sluice.packets.forwarded")).isGreaterThanOrEqualTo(10);
        assertThat(counter("sluice.keyframe.requests.sent")).isGreaterThanOrEqualTo(1);
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    private double counter(String name) {
        return registry.get(name).functionCounter().count();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Waits.await(what, CONNECT, condition);
    }
}
