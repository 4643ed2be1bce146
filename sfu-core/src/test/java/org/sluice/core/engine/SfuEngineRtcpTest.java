package org.sluice.core.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sluice.core.testing.AdjustableNanoClock;
import org.sluice.core.testing.ReceivedRtcp;
import org.sluice.core.testing.ReceivedRtp;
import org.sluice.core.testing.RtpTrack;
import org.sluice.core.testing.SimulatedPublisher;
import org.sluice.core.testing.SimulatedViewer;
import org.sluice.rtp.rtcp.ReceiverReportView;
import org.sluice.rtp.rtcp.RtcpPacketType;
import org.sluice.rtp.rtcp.SenderReportView;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.core.engine.EngineTestSupport.CONNECT;
import static org.sluice.core.engine.EngineTestSupport.RECEIVE;
import static org.sluice.core.engine.EngineTestSupport.awaitReceivers;
import static org.sluice.core.testing.RtcpCompounds.any;
import static org.sluice.core.testing.RtcpCompounds.hasPli;

/** RTCP terminated per leg: SRs toward viewers, RRs and throttled PLIs toward the publisher. */
class SfuEngineRtcpTest {

    private static final Duration RTCP_WAIT = Duration.ofMillis(2500);

    private static SfuEngine engine;
    private static SimulatedPublisher publisher;
    private static SimulatedViewer viewer;
    private static RtpTrack.Sent lastVideo;
    private static RtpTrack.Sent lastAudio;

    @BeforeAll
    static void start() throws Exception {
        engine = SfuEngine.start(EngineConfig.loopback().withMediaLoops(2), Clock.systemUTC(), new AdjustableNanoClock());
        viewer = SimulatedViewer.start(engine, "rtcp", "viewer", CONNECT);
        publisher = SimulatedPublisher.start(engine, "rtcp", "pub", CONNECT);
        awaitReceivers(engine, publisher.sessionId(), 1);
        publisher.sendKeyFrame((byte) 1);
        for (int i = 2; i <= 10; i++) {
            lastVideo = publisher.sendDeltaFrame((byte) i);
            lastAudio = publisher.sendAudio((byte) i);
        }
    }

    @AfterAll
    static void stop() {
        if (viewer != null) {
            viewer.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        engine.close();
    }

    @Test
    void viewerGetsSenderReportsConsistentWithTheForwardedTimestamps() throws Exception {
        List<ReceivedRtp> media = viewer.peer().awaitRtp(p -> true, 19, RECEIVE);
        assertThat(media).hasSize(19);
        for (long ssrc : new long[] {viewer.videoSsrc(), viewer.audioSsrc()}) {
            ReceivedRtp last = media.stream().filter(p -> p.ssrc() == ssrc).reduce((a, b) -> b).orElseThrow();
            int clockRate = ssrc == viewer.videoSsrc() ? 90_000 : 48_000;
            ReceivedRtcp report = viewer.peer().awaitRtcp(hasSenderReport(ssrc), RTCP_WAIT);
            assertThat(report).as("SR for %d", ssrc).isNotNull();
            long arrival = report.arrivalNanos();
            long srTimestamp = senderReportTimestamp(report.compound(), ssrc);
            // The SR maps "now" onto the stream's RTP line: the last forwarded timestamp plus the time since.
            // Both arrival times are taken by the peer's receive thread, which a loaded machine delays by up
            // to tens of milliseconds, so the window is 200 ms each way.
            long expected = (arrival - last.arrivalNanos()) * clockRate / 1_000_000_000L;
            long actual = (int) (srTimestamp - last.timestamp());
            assertThat(actual).isBetween(expected - clockRate / 5, expected + clockRate / 5);
        }
    }

    @Test
    void publisherGetsReceiverReportsForItsSsrcs() throws Exception {
        for (long ssrc : new long[] {publisher.video().ssrc(), publisher.audio().ssrc()}) {
            ReceivedRtcp report = publisher.peer().awaitRtcp(hasReportBlock(ssrc), RTCP_WAIT);
            assertThat(report).as("RR block for %d", ssrc).isNotNull();
            int last = ssrc == publisher.video().ssrc() ? lastVideo.sequence() : lastAudio.sequence();
            any(report.compound(), (it, buf) -> {
                ReceiverReportView rr = new ReceiverReportView();
                if (it.packetType() == RtcpPacketType.RR && rr.wrap(buf, it.offset(), it.length())) {
                    for (int i = 0; i < rr.reportCount(); i++) {
                        if (rr.blockSsrc(i) == ssrc) {
                            assertThat(rr.blockExtendedHighestSequence(i) & 0xFFFF).isEqualTo(last);
                            assertThat(rr.blockCumulativeLost(i)).isZero();
                            assertThat(rr.blockFractionLost(i)).isZero();
                        }
                    }
                }
                return false;
            });
        }
    }

    @Test
    void viewerPlisReachThePublisherThrottled() throws Exception {
        // Let any keyframe request from the viewer's join age out of the throttle, then forget RTCP so far.
        Thread.sleep(350);
        publisher.peer().drainRtcp();
        viewer.peer().sendPli(0x1234, viewer.videoSsrc());
        viewer.peer().sendPli(0x1234, viewer.videoSsrc());
        long video = publisher.video().ssrc();
        assertThat(publisher.peer().awaitRtcp(hasPli(video), Duration.ofSeconds(1))).isNotNull();
        assertThat(publisher.peer().awaitRtcp(hasPli(video), Duration.ofMillis(250))).as("second PLI").isNull();
        // After the throttle interval a new request goes through again.
        Thread.sleep(300);
        viewer.peer().sendPli(0x1234, viewer.videoSsrc());
        assertThat(publisher.peer().awaitRtcp(hasPli(video), Duration.ofSeconds(1))).isNotNull();
    }

    @Test
    void aViewersFirBecomesAPliForThePublishersVideo() throws Exception {
        Thread.sleep(350);
        publisher.peer().drainRtcp();
        ByteBuf fir = Unpooled.buffer(20);
        try {
            fir.writeByte(0x80 | RtcpPacketType.FMT_FIR).writeByte(RtcpPacketType.PSFB).writeShort(4);
            fir.writeInt(0x1234).writeInt(0);
            fir.writeInt((int) viewer.videoSsrc()).writeByte(7).writeMedium(0);
            viewer.peer().sendRtcp(fir);
        } finally {
            fir.release();
        }
        assertThat(publisher.peer().awaitRtcp(hasPli(publisher.video().ssrc()), Duration.ofSeconds(1))).isNotNull();
    }

    @Test
    void viewerSenderReportsFollowThePublishersSenderReport() throws Exception {
        try (SimulatedViewer syncViewer = SimulatedViewer.start(engine, "sync", "sync-viewer", CONNECT);
             SimulatedPublisher syncPublisher = SimulatedPublisher.start(engine, "sync", "sync-pub", CONNECT)) {
            awaitReceivers(engine, syncPublisher.sessionId(), 1);
            syncPublisher.sendKeyFrame((byte) 1);
            RtpTrack.Sent last = syncPublisher.sendDeltaFrame((byte) 2);
            List<ReceivedRtp> media = syncViewer.peer().awaitRtp(p -> p.ssrc() == syncViewer.videoSsrc(), 2, RECEIVE);
            assertThat(media).hasSize(2);
            long forwardedLast = media.get(1).timestamp();
            // The publisher says its media clock is half a second ahead of the last packet it sent.
            long ahead = 45_000;
            syncPublisher.peer().sendSenderReport(syncPublisher.video().ssrc(), 0x1234_5678_0000_0000L,
                    (last.timestamp() + ahead) & 0xFFFFFFFFL, 2, 200);
            long srSent = System.nanoTime();
            ReceivedRtcp report = syncViewer.peer().awaitRtcp(hasSenderReport(syncViewer.videoSsrc()), RTCP_WAIT);
            assertThat(report).isNotNull();
            long expected = ahead + (report.arrivalNanos() - srSent) * 90_000 / 1_000_000_000L;
            long actual = (int) (senderReportTimestamp(report.compound(), syncViewer.videoSsrc()) - forwardedLast);
            assertThat(actual).isBetween(expected - 9_000, expected + 4_500);
        }
    }

    @Test
    void aViewerJoiningMidStreamMakesThePublisherSendAKeyFrameAndStartsWithIt() throws Exception {
        try (SimulatedPublisher midPublisher = SimulatedPublisher.start(engine, "mid", "mid-pub", CONNECT)) {
            EngineTestSupport.awaitEngineConnected(engine, midPublisher.sessionId());
            midPublisher.sendKeyFrame((byte) 1);
            midPublisher.sendDeltaFrame((byte) 2);
            Thread.sleep(350); // past the keyframe throttle
            midPublisher.peer().drainRtcp();
            try (SimulatedViewer joiner = SimulatedViewer.start(engine, "mid", "joiner", CONNECT)) {
                awaitReceivers(engine, midPublisher.sessionId(), 1);
                midPublisher.sendDeltaFrame((byte) 3);
                assertThat(midPublisher.peer().awaitRtcp(hasPli(midPublisher.video().ssrc()), Duration.ofSeconds(1)))
                        .as("PLI for the joining viewer").isNotNull();
                midPublisher.sendKeyFrame((byte) 4);
                midPublisher.sendDeltaFrame((byte) 5);
                List<ReceivedRtp> video = joiner.peer().awaitRtp(p -> p.ssrc() == joiner.videoSsrc(), 2, RECEIVE);
                assertThat(video).extracting(p -> p.payload()[p.payload().length - 1])
                        .containsExactly((byte) 4, (byte) 5);
                EngineTestSupport.assertContinuous(video);
            }
        }
    }

    private static Predicate<byte[]> hasSenderReport(long ssrc) {
        return compound -> any(compound, (it, buf) -> it.packetType() == RtcpPacketType.SR
                && it.senderSsrc() == ssrc);
    }

    private static long senderReportTimestamp(byte[] compound, long ssrc) {
        long[] out = {-1};
        any(compound, (it, buf) -> {
            SenderReportView sr = new SenderReportView();
            if (it.packetType() == RtcpPacketType.SR && sr.wrap(buf, it.offset(), it.length())
                    && sr.senderSsrc() == ssrc) {
                out[0] = sr.rtpTimestamp();
                return true;
            }
            return false;
        });
        return out[0];
    }

    private static Predicate<byte[]> hasReportBlock(long ssrc) {
        return compound -> any(compound, (it, buf) -> {
            ReceiverReportView rr = new ReceiverReportView();
            if (it.packetType() != RtcpPacketType.RR || !rr.wrap(buf, it.offset(), it.length())) {
                return false;
            }
            for (int i = 0; i < rr.reportCount(); i++) {
                if (rr.blockSsrc(i) == ssrc) {
                    return true;
                }
            }
            return false;
        });
    }
}
