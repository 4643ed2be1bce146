package org.sluice.core.conference;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.sluice.core.forward.InboundStreamStats;
import org.sluice.core.forward.OutboundStreamStats;
import org.sluice.core.testing.ReceivedRtcp;
import org.sluice.rtp.rtcp.ReportBlock;
import org.sluice.rtp.rtcp.ReportWriter;
import org.sluice.rtp.rtcp.RtcpCompoundIterator;
import org.sluice.rtp.rtcp.RtcpPacketType;
import org.sluice.rtp.rtcp.SenderReportView;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.sluice.core.testing.Waits.await;

/**
 * What operators see of the media: per published stream its layers' frame rate and bitrate and its jitter as the
 * ingress measures them; per received track what the subscriber's receiver reports say (loss, jitter, round trip).
 */
class ConferenceStatsTest extends PublisherAndSubscriberTestBase {

    private ParticipantStats stats(SimulatedParticipantName who) throws ConferenceException {
        String id = who == SimulatedParticipantName.PUBLISHER ? publisher.id() : subscriber.id();
        return engine.conferences().participants("room").stream().filter(s -> s.info().id().equals(id))
                .findFirst().orElseThrow();
    }

    private enum SimulatedParticipantName { PUBLISHER, SUBSCRIBER }

    @Test
    void aPublishedVideoShowsItsFrameRateBitrateAndJitter() throws Exception {
        // A frame every 40 ms for 1.6 s (one key frame) stamped 33.3 ms apart (90 kHz, 3000 ticks), and an audio packet
        // every 20 ms stamped 20 ms apart: the video's arrival drifts 6.7 ms from its timestamps per frame, which
        // its jitter shows; the audio's does not.
        long start = System.nanoTime();
        for (int n = 0; n < 80; n++) {
            if (n % 2 == 0) {
                if (n == 0) {
                    publisher.sendKeyFrame((byte) n);
                } else {
                    publisher.sendDeltaFrame((byte) n);
                }
            }
            publisher.sendAudio((byte) n);
            long next = start + (n + 1) * 20_000_000L;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        String video = publisher.publishedTrack("1");
        String audio = publisher.publishedTrack("0");
        await("the video's rates are published", Duration.ofSeconds(2), () -> {
            try {
                return !streams(video).isEmpty() && !streams(video).get(0).layers().isEmpty();
            } catch (ConferenceException e) {
                return false;
            }
        });
        InboundStreamStats stream = streams(video).get(0);
        assertThat(stream.ssrc()).isEqualTo(publisher.videoSsrc());
        assertThat(stream.rid()).isNull();
        assertThat(stream.layers()).hasSize(1);
        InboundStreamStats.LayerStats base = stream.layers().get(0);
        assertThat(base.spatial()).isZero();
        assertThat(base.temporal()).isZero();
        assertThat(base.framesPerSecond()).as("25 fps over the ingress's one-second window").isCloseTo(25, within(5.0));
        assertThat(base.bitrateBps()).as("about 25 frames of ~110 payload bytes").isBetween(12_000L, 50_000L);
        assertThat(stream.jitterMillis()).as("6.7 ms of drift per frame").isBetween(3.0, 15.0);
        assertThat(stream.frameDelayVariationMillis()).isBetween(3.0, 15.0);
        InboundStreamStats sound = streams(audio).get(0);
        assertThat(sound.jitterMillis()).as("audio arrives as stamped").isLessThan(stream.jitterMillis());
        assertThat(sound.frameDelayVariationMillis()).as("audio has no frames").isEqualTo(-1);
        assertThat(sound.layers()).isEmpty();
    }

    private List<InboundStreamStats> streams(String trackId) throws ConferenceException {
        return stats(SimulatedParticipantName.PUBLISHER).tracks().stream().filter(t -> t.trackId().equals(trackId))
                .findFirst().orElseThrow().streams();
    }

    @Test
    void aReceivedTrackShowsWhatTheSubscribersReportsSay() throws Exception {
        String video = publisher.publishedTrack("1");
        long ssrc = subscriber.ssrcOf(video);
        ConferenceTestSupport.sendBurst(publisher, 5);
        // The server's sender report for the stream; the subscriber answers naming it (LSR) and the time it held it
        // (DLSR) less 30 ms, so the server's round trip is those 30 ms plus loopback.
        long[] lastSr = {-1};
        ReceivedRtcp sr = subscriber.peer().awaitRtcp(compound -> {
            lastSr[0] = senderReportMiddle(compound, ssrc);
            return lastSr[0] >= 0;
        }, Duration.ofSeconds(3));
        assertThat(sr).as("a sender report for the video").isNotNull();
        Thread.sleep(30);
        long heldNanos = System.nanoTime() - sr.arrivalNanos() - 30_000_000L;
        ByteBuf rr = Unpooled.buffer(64);
        try {
            ReportWriter.writeReceiverReport(rr, 0xABCD, List.of(new ReportBlock(ssrc, 64, 12, 1000, 900,
                    lastSr[0], Math.max(0, heldNanos * 65536 / 1_000_000_000L))));
            subscriber.peer().sendRtcp(rr);
        } finally {
            rr.release();
        }
        await("the report is seen", Duration.ofSeconds(2), () -> received(video).cumulativeLost() == 12);
        OutboundStreamStats got = received(video);
        assertThat(got.ssrc()).isEqualTo(ssrc);
        assertThat(got.fractionLost()).isEqualTo(0.25);
        assertThat(got.jitter()).isEqualTo(900);
        assertThat(got.jitterMillis()).as("900 ticks of 90 kHz").isEqualTo(10.0);
        assertThat(got.rttMillis()).isBetween(25.0, 250.0);
        assertThat(got.packetsSent()).isPositive();
        assertThat(got.pausedForBandwidth()).isFalse();
    }

    private OutboundStreamStats received(String trackId) {
        try {
            return stats(SimulatedParticipantName.SUBSCRIBER).received().stream()
                    .filter(r -> r.trackId().equals(trackId)).findFirst().orElseThrow().stream();
        } catch (ConferenceException e) {
            throw new AssertionError(e);
        }
    }

    private static long senderReportMiddle(byte[] compound, long ssrc) {
        ByteBuf buf = Unpooled.wrappedBuffer(compound);
        RtcpCompoundIterator it = new RtcpCompoundIterator();
        SenderReportView view = new SenderReportView();
        if (!it.wrap(buf)) {
            return -1;
        }
        while (it.next()) {
            if (it.packetType() == RtcpPacketType.SR && view.wrap(buf, it.offset(), it.length())
                    && view.senderSsrc() == ssrc) {
                return view.ntpMiddle32();
            }
        }
        return -1;
    }
}
