package org.sluice.core.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.core.forward.RepairCounters;
import org.sluice.core.testing.Payloads;
import org.sluice.core.testing.PeerOffer;
import org.sluice.core.testing.ReceivedRtcp;
import org.sluice.core.testing.ReceivedRtp;
import org.sluice.core.testing.RtpTrack;
import org.sluice.core.testing.SimulatedPublisher;
import org.sluice.core.testing.SimulatedViewer;
import org.sluice.rtp.rtcp.NackView;
import org.sluice.rtp.rtcp.NackWriter;
import org.sluice.rtp.rtcp.RtcpCompoundIterator;
import org.sluice.rtp.rtcp.RembView;
import org.sluice.rtp.rtcp.ReportBlock;
import org.sluice.rtp.rtcp.ReportWriter;
import org.sluice.rtp.rtcp.RtcpPacketType;
import org.sluice.rtp.rtcp.twcc.TransportFeedbackView;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.core.engine.EngineTestSupport.CONNECT;
import static org.sluice.core.engine.EngineTestSupport.RECEIVE;
import static org.sluice.core.engine.EngineTestSupport.awaitReceivers;
import static org.sluice.core.testing.SimulatedPublisher.VIDEO_STEP;

/**
 * Media repair over the engine with simulated peers: receivers' NACKs answered from the packet cache (as RTX where
 * negotiated, else on the original SSRC), NACKs toward publishers and their retransmissions (RTX unwrapped), and
 * transport-cc feedback to publishers.
 */
class SfuEngineRepairTest {

    private SfuEngine engine;

    @BeforeEach
    void start() throws Exception {
        engine = SfuEngine.start(EngineConfig.loopback().withMediaLoops(2));
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private RepairCounters repair() {
        return engine.repairCounters();
    }

    /** A keyframe then {@code count} delta frames, each one packet whose last byte is its index. */
    private static List<RtpTrack.Sent> sendFrames(SimulatedPublisher publisher, int count) {
        List<RtpTrack.Sent> sent = new ArrayList<>();
        sent.add(publisher.sendKeyFrame((byte) 0));
        for (int i = 1; i <= count; i++) {
            sent.add(publisher.sendDeltaFrame((byte) i));
        }
        return sent;
    }

    private static void sendNack(SimulatedViewer viewer, long mediaSsrc, int... lost) {
        ByteBuf nack = Unpooled.buffer();
        NackWriter.write(nack, 1, mediaSsrc, lost, 0, lost.length);
        viewer.peer().sendRtcp(nack);
    }

    @Test
    void aViewersNackIsAnsweredFromTheCacheOnTheOriginalSsrcWithoutRtx() throws Exception {
        try (SimulatedViewer viewer = SimulatedViewer.start(engine, "room", "viewer", CONNECT);
             SimulatedPublisher publisher = SimulatedPublisher.start(engine, "room", "pub", CONNECT)) {
            awaitReceivers(engine, publisher.sessionId(), 1);
            List<RtpTrack.Sent> frames = sendFrames(publisher, 2);
            List<ReceivedRtp> first = viewer.peer().awaitRtp(p -> p.ssrc() == viewer.videoSsrc(), 3, RECEIVE);
            assertThat(first).hasSize(3);
            assertThat(viewer.answer().rtxSsrc("video")).as("no RTX offered, none answered").isEqualTo(-1);
            // The next frame is lost on the viewer's downlink.
            int lostSequence = (first.get(2).sequence() + 1) & 0xFFFF;
            viewer.peer().loseIncoming(viewer.videoSsrc(), lostSequence);
            RtpTrack.Sent lostFrame = publisher.sendDeltaFrame((byte) 3);
            publisher.sendDeltaFrame((byte) 4);
            first.addAll(viewer.peer().awaitRtp(p -> p.ssrc() == viewer.videoSsrc(), 1, RECEIVE));
            assertThat(first.get(3).sequence()).isEqualTo((lostSequence + 1) & 0xFFFF);
            ReceivedRtp third = new ReceivedRtp(viewer.videoSsrc(), lostSequence,
                    (first.get(2).timestamp() + VIDEO_STEP) & 0xFFFFFFFFL, 96, true, lostFrame.payload(), 0);
            assertThat(frames).hasSize(3);
            sendNack(viewer, viewer.videoSsrc(), third.sequence());
            List<ReceivedRtp> resent = viewer.peer().awaitRtp(p -> p.ssrc() == viewer.videoSsrc(), 1, RECEIVE);
            assertThat(resent).hasSize(1);
            assertThat(resent.get(0).sequence()).isEqualTo(third.sequence());
            assertThat(resent.get(0).timestamp()).isEqualTo(third.timestamp());
            assertThat(resent.get(0).payload()).isEqualTo(third.payload());
            assertThat(repair().retransmissionsSent.sum()).isEqualTo(1);
            assertThat(repair().cacheHits.sum()).isEqualTo(1);

            // Asked again at once: within a round trip of the resend, it is not sent twice.
            sendNack(viewer, viewer.videoSsrc(), third.sequence());
            assertThat(viewer.peer().awaitRtp(p -> p.ssrc() == viewer.videoSsrc(), 1, Duration.ofMillis(300)))
                    .isEmpty();
            assertThat(repair().retransmissionsSuppressed.sum()).isEqualTo(1);
            // A number we never sent is not answered.
            sendNack(viewer, viewer.videoSsrc(), (first.get(3).sequence() + 100) & 0xFFFF);
            Waits.awaitCount(() -> repair().nacksForUnsent.sum(), 1);
        }
    }

    @Test
    void aViewerThatNegotiatedRtxGetsRtxWithTheOriginalSequenceNumberAhead() throws Exception {
        try (SimulatedViewer viewer = SimulatedViewer.start(engine, "room", "viewer", CONNECT, PeerOffer::withRtx);
             SimulatedPublisher publisher = SimulatedPublisher.start(engine, "room", "pub", CONNECT)) {
            awaitReceivers(engine, publisher.sessionId(), 1);
            long rtxSsrc = viewer.answer().rtxSsrc("video");
            assertThat(rtxSsrc).as("FID group in the answer").isPositive();
            sendFrames(publisher, 3);
            List<ReceivedRtp> first = viewer.peer().awaitRtp(p -> p.ssrc() == viewer.videoSsrc(), 4, RECEIVE);
            ReceivedRtp lost = first.get(2);

            sendNack(viewer, viewer.videoSsrc(), lost.sequence());
            List<ReceivedRtp> rtx = viewer.peer().awaitRtp(p -> p.ssrc() == rtxSsrc, 1, RECEIVE);
            assertThat(rtx).hasSize(1);
            ReceivedRtp packet = rtx.get(0);
            assertThat(packet.payloadType()).isEqualTo(PeerOffer.RTX_PAYLOAD_TYPE);
            assertThat(packet.timestamp()).isEqualTo(lost.timestamp());
            byte[] payload = packet.payload();
            int osn = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
            assertThat(osn).isEqualTo(lost.sequence());
            assertThat(Arrays.copyOfRange(payload, 2, payload.length)).isEqualTo(lost.payload());
            assertThat(repair().retransmissionBytesSent.sum()).isGreaterThan(payload.length);
        }
    }

    @Test
    void aViewerThatReportsHighLossGetsEachResendTwiceAndAPacketAskedForAgainIsResentAgain() throws Exception {
        try (SimulatedViewer viewer = SimulatedViewer.start(engine, "room", "viewer", CONNECT, PeerOffer::withRtx);
             SimulatedPublisher publisher = SimulatedPublisher.start(engine, "room", "pub", CONNECT)) {
            awaitReceivers(engine, publisher.sessionId(), 1);
            long rtxSsrc = viewer.answer().rtxSsrc("video");
            sendFrames(publisher, 3);
            List<ReceivedRtp> first = viewer.peer().awaitRtp(p -> p.ssrc() == viewer.videoSsrc(), 4, RECEIVE);
            ReceivedRtp lost = first.get(1);

            // Below the threshold (3% lost): one copy.
            sendReport(viewer, 8);
            sendNack(viewer, viewer.videoSsrc(), lost.sequence());
            assertThat(viewer.peer().awaitRtp(p -> p.ssrc() == rtxSsrc, 1, RECEIVE)).hasSize(1);
            assertThat(viewer.peer().awaitRtp(p -> p.ssrc() == rtxSsrc, 1, Duration.ofMillis(200))).isEmpty();
            assertThat(repair().retransmissionsRedundant.sum()).isZero();
            assertThat(repair().retransmissionsRepeated.sum()).isZero();

            // 10% lost: the next resend goes twice, as two RTX packets of the same original.
            sendReport(viewer, 26); // handled before the NACK behind it: one socket, one loop
            ReceivedRtp other = first.get(2);
            sendNack(viewer, viewer.videoSsrc(), other.sequence());
            List<ReceivedRtp> copies = viewer.peer().awaitRtp(p -> p.ssrc() == rtxSsrc, 2, RECEIVE);
            assertThat(copies).hasSize(2);
            assertThat(copies).allSatisfy(c -> {
                byte[] payload = c.payload();
                assertThat(((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF)).isEqualTo(other.sequence());
                assertThat(Arrays.copyOfRange(payload, 2, payload.length)).isEqualTo(other.payload());
            });
            assertThat(copies.get(1).sequence()).isEqualTo((copies.get(0).sequence() + 1) & 0xFFFF);
            assertThat(repair().retransmissionsRedundant.sum()).isEqualTo(1);

            // The first packet asked for again once a round trip has passed: its resend was lost, so it goes again.
            Thread.sleep(120);
            sendNack(viewer, viewer.videoSsrc(), lost.sequence());
            assertThat(viewer.peer().awaitRtp(p -> p.ssrc() == rtxSsrc, 2, RECEIVE)).hasSize(2);
            assertThat(repair().retransmissionsRepeated.sum()).isEqualTo(1);
            assertThat(repair().retransmissionsSent.sum()).isEqualTo(5);
        }
    }

    /** An RTCP receiver report from the viewer on its video stream with {@code fractionLost} (x/256). */
    private static void sendReport(SimulatedViewer viewer, int fractionLost) {
        ByteBuf report = Unpooled.buffer();
        ReportWriter.writeReceiverReport(report, 1,
                List.of(new ReportBlock(viewer.videoSsrc(), fractionLost, 1, 1000, 0, 0, 0)));
        viewer.peer().sendRtcp(report);
    }

    @Test
    void aGapFromThePublisherIsNackedAndItsRetransmissionReachesTheViewer() throws Exception {
        try (SimulatedViewer viewer = SimulatedViewer.start(engine, "room", "viewer", CONNECT);
             SimulatedPublisher publisher = SimulatedPublisher.start(engine, "room", "pub", CONNECT)) {
            awaitReceivers(engine, publisher.sessionId(), 1);
            sendFrames(publisher, 2);
            RtpTrack.Sent missing = publisher.video().lose(Payloads.vp8DeltaFrame(100, (byte) 77), VIDEO_STEP);
            publisher.sendDeltaFrame((byte) 4);
            publisher.sendDeltaFrame((byte) 5);

            List<Integer> asked = new ArrayList<>();
            ReceivedRtcp nack = publisher.peer().awaitRtcp(c -> nacked(c, publisher.video().ssrc(), asked),
                    Duration.ofSeconds(2));
            assertThat(nack).as("a NACK reached the publisher").isNotNull();
            assertThat(asked).containsExactly(missing.sequence());

            // The publisher resends it on its own SSRC (no RTX negotiated): it reaches the viewer in the hole.
            publisher.peer().sendRtp(96, publisher.video().ssrc(), missing.sequence(), missing.timestamp(), true,
                    missing.payload());
            List<ReceivedRtp> video = viewer.peer().awaitRtp(p -> p.ssrc() == viewer.videoSsrc(), 6, RECEIVE);
            assertThat(video).hasSize(6);
            ReceivedRtp repaired = video.get(5);
            assertThat(repaired.payload()).isEqualTo(missing.payload());
            assertThat(repaired.sequence()).as("it takes its place in the viewer's line")
                    .isEqualTo((video.get(2).sequence() + 1) & 0xFFFF);
            Waits.awaitCount(() -> repair().retransmissionsReceived.sum(), 1);
            assertThat(repair().nacksSent.sum()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void withARepairWindowViewersGetThePublishersRepairedStreamInOrder() throws Exception {
        engine.broadcastRepairWindow("room", Duration.ofMillis(300));
        try (SimulatedViewer viewer = SimulatedViewer.start(engine, "room", "viewer", CONNECT);
             SimulatedPublisher publisher = SimulatedPublisher.start(engine, "room", "pub", CONNECT)) {
            awaitReceivers(engine, publisher.sessionId(), 1);
            sendFrames(publisher, 2);
            assertThat(viewer.peer().awaitRtp(p -> p.ssrc() == viewer.videoSsrc(), 3, RECEIVE)).hasSize(3);
            RtpTrack.Sent missing = publisher.video().lose(Payloads.vp8DeltaFrame(100, (byte) 77), VIDEO_STEP);
            RtpTrack.Sent after = publisher.sendDeltaFrame((byte) 4);
            publisher.sendDeltaFrame((byte) 5);
            ReceivedRtcp nack = publisher.peer().awaitRtcp(c -> nacked(c, publisher.video().ssrc(), new ArrayList<>()),
                    Duration.ofSeconds(2));
            assertThat(nack).as("a NACK reached the publisher").isNotNull();
            assertThat(viewer.peer().awaitRtp(p -> p.ssrc() == viewer.videoSsrc(), 1, Duration.ofMillis(50)))
                    .as("held behind the hole").isEmpty();

            publisher.peer().sendRtp(96, publisher.video().ssrc(), missing.sequence(), missing.timestamp(), true,
                    missing.payload());
            List<ReceivedRtp> video = viewer.peer().awaitRtp(p -> p.ssrc() == viewer.videoSsrc(), 3, RECEIVE);
            assertThat(video).hasSize(3);
            assertThat(video.get(0).payload()).as("the repaired packet first").isEqualTo(missing.payload());
            assertThat(video.get(1).payload()).isEqualTo(after.payload());
            assertThat(video.get(1).sequence()).isEqualTo((video.get(0).sequence() + 1) & 0xFFFF);
            assertThat(repair().repairWindowHeld.sum()).isEqualTo(2);

            // A hole the publisher never fills: what follows goes once it has waited the window, with the gap.
            publisher.video().lose(Payloads.vp8DeltaFrame(100, (byte) 78), VIDEO_STEP);
            long sent = System.nanoTime();
            publisher.sendDeltaFrame((byte) 6);
            List<ReceivedRtp> late = viewer.peer().awaitRtp(p -> p.ssrc() == viewer.videoSsrc(), 1, RECEIVE);
            assertThat(late).hasSize(1);
            assertThat(System.nanoTime() - sent).as("held for the window").isGreaterThanOrEqualTo(250_000_000L);
            assertThat(late.get(0).sequence()).isEqualTo((video.get(2).sequence() + 2) & 0xFFFF);
            Waits.awaitCount(() -> repair().repairWindowSkipped.sum(), 1);
        }
    }

    @Test
    void aPublisherThatNegotiatedRembAloneHearsTheServersEstimateAndItIsCounted() throws Exception {
        try (SimulatedPublisher publisher = SimulatedPublisher.start(engine, "room", "pub", CONNECT,
                PeerOffer::withRemb)) {
            sendFrames(publisher, 5);
            // The receive-side estimate exists from the second report on (about 2 s after the leg started).
            ReceivedRtcp remb = publisher.peer().awaitRtcp(c -> hasRemb(c), Duration.ofSeconds(6));
            assertThat(remb).as("a REMB reached the publisher").isNotNull();
            Waits.awaitCount(() -> engine.congestionCounters().rembsSent.sum(), 1);
        }
    }

    private static boolean hasRemb(byte[] compound) {
        RtcpCompoundIterator it = new RtcpCompoundIterator();
        ByteBuf buf = Unpooled.wrappedBuffer(compound);
        RembView remb = new RembView();
        if (it.wrap(buf)) {
            while (it.next()) {
                if (it.packetType() == RtcpPacketType.PSFB && it.countOrFmt() == RtcpPacketType.FMT_AFB
                        && remb.wrap(buf, it.offset(), it.length())) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void aPublishersRtxIsUnwrappedIntoTheStreamItRepairs() throws Exception {
        try (SimulatedViewer viewer = SimulatedViewer.start(engine, "room", "viewer", CONNECT);
             SimulatedPublisher publisher = SimulatedPublisher.start(engine, "room", "pub", CONNECT,
                     PeerOffer::withRtx)) {
            awaitReceivers(engine, publisher.sessionId(), 1);
            sendFrames(publisher, 2);
            RtpTrack.Sent missing = publisher.video().lose(Payloads.vp8DeltaFrame(100, (byte) 77), VIDEO_STEP);
            publisher.sendDeltaFrame((byte) 4);
            List<ReceivedRtp> before = viewer.peer().awaitRtp(p -> p.ssrc() == viewer.videoSsrc(), 4, RECEIVE);
            assertThat(before).hasSize(4);

            byte[] rtxPayload = new byte[missing.payload().length + 2];
            rtxPayload[0] = (byte) (missing.sequence() >> 8);
            rtxPayload[1] = (byte) missing.sequence();
            System.arraycopy(missing.payload(), 0, rtxPayload, 2, missing.payload().length);
            publisher.peer().sendRtp(PeerOffer.RTX_PAYLOAD_TYPE, publisher.offer().videoRtxSsrc(), 500,
                    missing.timestamp(), true, rtxPayload);

            List<ReceivedRtp> repaired = viewer.peer().awaitRtp(p -> p.ssrc() == viewer.videoSsrc(), 1, RECEIVE);
            assertThat(repaired).hasSize(1);
            assertThat(repaired.get(0).payload()).isEqualTo(missing.payload());
            assertThat(repaired.get(0).sequence()).as("it takes its place in the viewer's line")
                    .isEqualTo((before.get(2).sequence() + 1) & 0xFFFF);
            assertThat(repaired.get(0).timestamp()).as("on the viewer's timestamp line")
                    .isEqualTo((before.get(2).timestamp() + VIDEO_STEP) & 0xFFFFFFFFL);
            assertThat(repair().retransmissionsReceived.sum()).isEqualTo(1);
        }
    }

    @Test
    void aPublisherThatNegotiatedTransportCcHearsFeedbackForWhatArrived() throws Exception {
        try (SimulatedPublisher publisher = SimulatedPublisher.start(engine, "room", "pub", CONNECT,
                PeerOffer::withTransportCc)) {
            EngineTestSupport.awaitEngineConnected(engine, publisher.sessionId()); // its keys are in place
            for (int i = 0; i < 10; i++) {
                if (i == 4) {
                    continue; // transport sequence 4 never sent: reported lost
                }
                publisher.video().send(Payloads.vp8DeltaFrame(100, (byte) i), true, VIDEO_STEP,
                        PeerOffer.TRANSPORT_CC_ID, new byte[] {0, (byte) i});
            }
            TransportFeedbackView view = new TransportFeedbackView();
            List<String> statuses = new ArrayList<>();
            ReceivedRtcp feedback = publisher.peer().awaitRtcp(c -> {
                RtcpCompoundIterator it = new RtcpCompoundIterator();
                ByteBuf buf = Unpooled.wrappedBuffer(c);
                if (!it.wrap(buf)) {
                    return false;
                }
                while (it.next()) {
                    if (it.packetType() == RtcpPacketType.RTPFB && it.countOrFmt() == RtcpPacketType.FMT_TRANSPORT_CC
                            && view.wrap(buf, it.offset(), it.length())) {
                        view.startPackets();
                        while (view.nextPacket()) {
                            statuses.add(view.sequenceNumber() + (view.isReceived() ? "+" : "-"));
                        }
                    }
                }
                return statuses.size() >= 10;
            }, Duration.ofSeconds(2));
            assertThat(feedback).isNotNull();
            assertThat(statuses).containsExactly("0+", "1+", "2+", "3+", "4-", "5+", "6+", "7+", "8+", "9+");
            assertThat(repair().transportFeedbackSent.sum()).isPositive();
        }
    }

    @Test
    void aViewerThatNegotiatedTransportCcGetsTheSamePayloadsStampedWithTransportSequenceNumbers() throws Exception {
        try (SimulatedViewer viewer = SimulatedViewer.start(engine, "room", "viewer", CONNECT,
                offer -> offer.withTransportCc().withRtx());
             SimulatedPublisher publisher = SimulatedPublisher.start(engine, "room", "pub", CONNECT)) {
            awaitReceivers(engine, publisher.sessionId(), 1);
            List<RtpTrack.Sent> sent = sendFrames(publisher, 5);
            List<ReceivedRtp> got = viewer.peer().awaitRtp(p -> p.ssrc() == viewer.videoSsrc(), 6, RECEIVE);
            assertThat(got).hasSize(6);
            for (int i = 0; i < 6; i++) {
                assertThat(got.get(i).payload()).as("payload %d", i).isEqualTo(sent.get(i).payload());
            }
        }
    }

    /** Whether the compound holds a NACK for {@code ssrc}; adds its sequence numbers to {@code into}. */
    private static boolean nacked(byte[] compound, long ssrc, List<Integer> into) {
        RtcpCompoundIterator it = new RtcpCompoundIterator();
        ByteBuf buf = Unpooled.wrappedBuffer(compound);
        NackView nack = new NackView();
        boolean found = false;
        if (it.wrap(buf)) {
            while (it.next()) {
                if (it.packetType() == RtcpPacketType.RTPFB && it.countOrFmt() == RtcpPacketType.FMT_NACK
                        && nack.wrap(buf, it.offset(), it.length()) && nack.mediaSsrc() == ssrc) {
                    nack.forEachLost(into::add);
                    found = true;
                }
            }
        }
        return found;
    }

    /** Bounded polls of counters. */
    private static final class Waits {
        static void awaitCount(java.util.function.LongSupplier counter, long atLeast) throws InterruptedException {
            org.sluice.core.testing.Waits.await("counter reaches " + atLeast, RECEIVE,
                    () -> counter.getAsLong() >= atLeast);
        }
    }
}
