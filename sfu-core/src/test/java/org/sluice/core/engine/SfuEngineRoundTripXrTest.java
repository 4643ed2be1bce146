package org.sluice.core.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.core.broadcast.PublisherSession;
import org.sluice.core.testing.AdjustableNanoClock;
import org.sluice.core.testing.Payloads;
import org.sluice.core.testing.PeerOffer;
import org.sluice.core.testing.ReceivedRtcp;
import org.sluice.core.testing.SimulatedPublisher;
import org.sluice.core.testing.SimulatedViewer;
import org.sluice.rtp.rtcp.ReportWriter;
import org.sluice.rtp.rtcp.RtcpCompoundIterator;
import org.sluice.rtp.rtcp.RtcpPacketType;
import org.sluice.rtp.rtcp.XrView;
import org.sluice.rtp.rtcp.XrWriter;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.core.engine.EngineTestSupport.CONNECT;
import static org.sluice.core.testing.Waits.await;

/**
 * RFC 3611 round trips to a publisher, a peer we only receive from (so no SR of ours gives one): where it offers
 * {@code rrtr} feedback, the answer keeps it, our receiver reports carry an RRTR, and its DLRR answer gives the leg its
 * round trip. Without the offer, no RRTR is sent.
 */
class SfuEngineRoundTripXrTest {

    private SfuEngine engine;

    @BeforeEach
    void start() throws Exception {
        engine = SfuEngine.start(EngineConfig.loopback().withMediaLoops(1), Clock.systemUTC(), new AdjustableNanoClock());
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    @Test
    void aPublisherThatOffersRrtrGetsRrtrsAndItsDlrrGivesTheLegItsRoundTrip() throws Exception {
        try (SimulatedPublisher publisher = SimulatedPublisher.start(engine, "room", "pub", CONNECT,
                PeerOffer::withRrtr)) {
            assertThat(publisher.answerSdp()).contains("a=rtcp-fb:96 rrtr");
            EngineTestSupport.awaitEngineConnected(engine, publisher.sessionId());
            publisher.video().send(Payloads.vp8KeyFrame(100, (byte) 1), true, SimulatedPublisher.VIDEO_STEP);

            long[] rrtr = {-1, -1}; // the server's RTCP SSRC, the RRTR's middle 32 bits
            ReceivedRtcp report = publisher.peer().awaitRtcp(c -> findRrtr(c, rrtr), Duration.ofSeconds(3));
            assertThat(report).as("an RRTR in the server's receiver report").isNotNull();

            Thread.sleep(40);
            long heldNanos = System.nanoTime() - report.arrivalNanos() - 40_000_000L; // we held it, less 40 ms
            ByteBuf answer = Unpooled.buffer(64);
            try {
                ReportWriter.writeReceiverReport(answer, publisher.offer().videoSsrc(), List.of());
                XrWriter.writeDlrr(answer, publisher.offer().videoSsrc(), rrtr[0], rrtr[1],
                        Math.max(0, heldNanos * 65536 / 1_000_000_000L));
                publisher.peer().sendRtcp(answer);
            } finally {
                answer.release();
            }
            PublisherSession session = (PublisherSession) engine.session(publisher.sessionId());
            await("the DLRR gives a round trip", Duration.ofSeconds(2), () -> session.leg().receiverRoundTrips() == 1);
            assertThat(session.leg().roundTripNanos()).as("40 ms plus loopback")
                    .isBetween(30_000_000L, 250_000_000L);
        }
    }

    @Test
    void withoutTheOfferNoRrtrIsSent() throws Exception {
        try (SimulatedPublisher publisher = SimulatedPublisher.start(engine, "room", "pub", CONNECT)) {
            assertThat(publisher.answerSdp()).doesNotContain("rrtr");
            EngineTestSupport.awaitEngineConnected(engine, publisher.sessionId());
            publisher.video().send(Payloads.vp8KeyFrame(100, (byte) 1), true, SimulatedPublisher.VIDEO_STEP);
            long[] rrtr = {-1, -1};
            ReceivedRtcp anyReport = publisher.peer().awaitRtcp(c -> isReceiverReport(c), Duration.ofSeconds(3));
            assertThat(anyReport).as("a receiver report").isNotNull();
            assertThat(findRrtr(anyReport.compound(), rrtr)).isFalse();
            assertThat(publisher.peer().awaitRtcp(c -> findRrtr(c, rrtr), Duration.ofMillis(1500))).isNull();
        }
    }

    @Test
    void aViewersRrtrIsAnsweredWithADlrrInTheNextSenderReport() throws Exception {
        try (SimulatedPublisher publisher = SimulatedPublisher.start(engine, "room", "pub", CONNECT);
             SimulatedViewer viewer = SimulatedViewer.start(engine, "room", "viewer", CONNECT,
                     PeerOffer::withRrtr)) {
            EngineTestSupport.awaitReceivers(engine, publisher.sessionId(), 1);
            publisher.sendKeyFrame((byte) 1);
            publisher.sendAudio((byte) 1);
            long ntp = 0xE1234567_89ABCDEFL;
            ByteBuf rrtr = Unpooled.buffer(64);
            try {
                ReportWriter.writeReceiverReport(rrtr, 0x51E3, List.of());
                XrWriter.writeRrtr(rrtr, 0x51E3, ntp);
                viewer.peer().sendRtcp(rrtr);
            } finally {
                rrtr.release();
            }
            long[] dlrr = {-1, -1};
            ReceivedRtcp report = viewer.peer().awaitRtcp(c -> findDlrr(c, 0x51E3, dlrr), Duration.ofSeconds(3));
            assertThat(report).as("a DLRR for the viewer's RRTR").isNotNull();
            assertThat(dlrr[0]).as("LRR: the RRTR's middle 32 bits").isEqualTo(0x456789ABL);
            assertThat(dlrr[1]).as("DLRR: held at most the report interval").isBetween(0L, 65536L * 2);
        }
    }

    private static boolean findDlrr(byte[] compound, long ssrc, long[] out) {
        ByteBuf buf = Unpooled.wrappedBuffer(compound);
        RtcpCompoundIterator it = new RtcpCompoundIterator();
        XrView xr = new XrView();
        if (!it.wrap(buf)) {
            return false;
        }
        while (it.next()) {
            if (it.packetType() == RtcpPacketType.XR && xr.wrap(buf, it.offset(), it.length())) {
                int i = xr.findDlrr(ssrc);
                if (i >= 0) {
                    out[0] = xr.dlrrLastRr(i);
                    out[1] = xr.dlrrDelaySinceLastRr(i);
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isReceiverReport(byte[] compound) {
        ByteBuf buf = Unpooled.wrappedBuffer(compound);
        RtcpCompoundIterator it = new RtcpCompoundIterator();
        if (!it.wrap(buf)) {
            return false;
        }
        while (it.next()) {
            if (it.packetType() == RtcpPacketType.RR) {
                return true;
            }
        }
        return false;
    }

    private static boolean findRrtr(byte[] compound, long[] out) {
        ByteBuf buf = Unpooled.wrappedBuffer(compound);
        RtcpCompoundIterator it = new RtcpCompoundIterator();
        XrView xr = new XrView();
        if (!it.wrap(buf)) {
            return false;
        }
        while (it.next()) {
            if (it.packetType() == RtcpPacketType.XR && xr.wrap(buf, it.offset(), it.length()) && xr.findRrtr()) {
                out[0] = xr.senderSsrc();
                out[1] = xr.rrtrNtpMiddle32();
                return true;
            }
        }
        return false;
    }
}
