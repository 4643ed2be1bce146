package org.sluice.core.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.core.broadcast.BroadcastRoom;
import org.sluice.core.broadcast.PublisherSession;
import org.sluice.core.broadcast.RelayOffer;
import org.sluice.core.forward.MediaKind;
import org.sluice.core.session.BroadcastStats;
import org.sluice.core.session.OfferRejectedException;
import org.sluice.core.session.SessionAnswer;
import org.sluice.core.testing.Payloads;
import org.sluice.core.testing.ReceivedRtp;
import org.sluice.core.testing.RtpTrack;
import org.sluice.core.testing.SimulatedPublisher;
import org.sluice.core.testing.SimulatedViewer;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sluice.core.engine.EngineTestSupport.CONNECT;
import static org.sluice.core.engine.EngineTestSupport.RECEIVE;
import static org.sluice.core.engine.EngineTestSupport.assertContinuous;
import static org.sluice.core.testing.RtcpCompounds.hasPli;
import static org.sluice.core.testing.Waits.await;

/**
 * Two engines on loopback as two nodes: the origin relays its broadcast room to the edge ({@link SfuEngine#offerRelay}
 * → the edge's WHIP ingest → {@link SfuEngine#startRelay}, the origin dialing the edge), and a viewer of the edge gets
 * the origin's publisher: every packet, in order, on the SSRCs of its own answer; its PLI reaches the publisher
 * through the relay; the edge ending the relay ends it at the origin.
 */
class SfuEngineRelayTest {

    private SfuEngine origin;
    private SfuEngine edge;

    @BeforeEach
    void start() throws Exception {
        origin = SfuEngine.start(EngineConfig.loopback().withMediaLoops(2), Clock.systemUTC(), System::nanoTime);
        edge = SfuEngine.start(EngineConfig.loopback().withMediaLoops(2), Clock.systemUTC(), System::nanoTime);
    }

    @AfterEach
    void stop() {
        origin.close();
        edge.close();
    }

    @Test
    void anEdgeViewerGetsTheOriginsPublisherThroughTheRelay() throws Exception {
        try (SimulatedPublisher publisher = SimulatedPublisher.start(origin, "show", "pub", CONNECT);
             SimulatedViewer viewer = SimulatedViewer.start(edge, "show", "viewer", CONNECT)) {
            RelayOffer offer = origin.offerRelay("show");
            SessionAnswer answer = edge.publish("show", offer.sdp(), "node-origin");
            String relay = origin.startRelay(offer, answer.answerSdp(), "node-edge");
            assertThat(relay).isEqualTo(offer.id());
            await("relay connected at both ends", CONNECT, () -> origin.session(relay).transport().isConnected()
                    && edge.session(answer.sessionId()).transport().isConnected());
            assertThat(origin.relaysOut()).isEqualTo(1);
            assertThat(edge.relaysIn()).isEqualTo(1);
            assertThat(origin.viewerCount()).as("a relay is not a viewer").isZero();
            assertThat(edge.publisherCount()).as("nor a publisher").isZero();
            BroadcastRoom originRoom = origin.session(publisher.sessionId()).room();
            await("the relay attached to every slot", CONNECT,
                    () -> originRoom.slot(MediaKind.AUDIO).receiverCount() == 1
                            && originRoom.videoLayer(BroadcastRoom.VIDEO_LAYERS - 1).receiverCount() == 1);

            List<RtpTrack.Sent> video = new ArrayList<>();
            List<RtpTrack.Sent> audio = new ArrayList<>();
            video.add(publisher.sendKeyFrame((byte) 1));
            for (int i = 2; i <= 30; i++) {
                video.add(publisher.sendDeltaFrame((byte) i));
                audio.add(publisher.sendAudio((byte) i));
            }
            // The edge's viewer waits for a keyframe; the relay's first is the one above (the origin held nothing
            // back: the relay was attached before it).
            List<ReceivedRtp> got = viewer.peer().awaitRtp(p -> true, video.size() + audio.size(), RECEIVE);
            List<ReceivedRtp> gotVideo = got.stream().filter(p -> p.ssrc() == viewer.videoSsrc()).toList();
            List<ReceivedRtp> gotAudio = got.stream().filter(p -> p.ssrc() == viewer.audioSsrc()).toList();
            assertThat(gotVideo).extracting(ReceivedRtp::payload)
                    .containsExactlyElementsOf(video.stream().map(RtpTrack.Sent::payload).toList());
            assertThat(gotAudio).extracting(ReceivedRtp::payload)
                    .containsExactlyElementsOf(audio.stream().map(RtpTrack.Sent::payload).toList());
            assertContinuous(gotVideo);
            assertContinuous(gotAudio);
            assertThat(viewer.peer().undecryptable()).isZero();

            // The edge learned the relay's video as layer 0 (its rid), and its publisher entry names the origin.
            BroadcastStats edgeStats = edge.broadcasts().stream().filter(b -> b.room().equals("show")).findFirst()
                    .orElseThrow();
            assertThat(edgeStats.publisher().relayFrom()).isEqualTo("node-origin");
            assertThat(edgeStats.publisher().streams()).extracting(s -> s.rid()).contains("0");
            BroadcastStats originStats = origin.broadcasts().stream().filter(b -> b.room().equals("show"))
                    .findFirst().orElseThrow();
            assertThat(originStats.viewers()).extracting(BroadcastStats.Viewer::relayTo).containsExactly("node-edge");

            // A keyframe request of the edge's viewer reaches the publisher at the origin (once the requests made
            // when the relay and the viewer attached are older than the requesters' throttle).
            Thread.sleep(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(
                    org.sluice.core.forward.KeyframeRequester.DEFAULT_INTERVAL_NANOS) + 150);
            publisher.peer().drainRtcp();
            viewer.peer().sendPli(0x1234, viewer.videoSsrc());
            assertThat(publisher.peer().awaitRtcp(hasPli(publisher.video().ssrc()), RECEIVE))
                    .as("the edge viewer's PLI at the origin's publisher").isNotNull();

            // The edge leaving ends the relay at the origin.
            assertThat(edge.end(answer.sessionId())).isTrue();
            await("relay gone at the origin", CONNECT, () -> origin.relaysOut() == 0);
            assertThat(originRoom.slot(MediaKind.AUDIO).receiverCount()).isZero();
        }
    }

    @Test
    void aHoleOnTheRelayIsNackedToTheOriginAndTheRepairReachesTheEdgesViewer() throws Exception {
        try (SimulatedPublisher publisher = SimulatedPublisher.start(origin, "show", "pub", CONNECT);
             SimulatedViewer viewer = SimulatedViewer.start(edge, "show", "viewer", CONNECT)) {
            RelayOffer offer = origin.offerRelay("show");
            SessionAnswer answer = edge.publish("show", offer.sdp(), "node-origin");
            String relay = origin.startRelay(offer, answer.answerSdp(), "node-edge");
            await("relay connected", CONNECT, () -> origin.session(relay).transport().isConnected()
                    && edge.session(answer.sessionId()).transport().isConnected());
            BroadcastRoom originRoom = origin.session(publisher.sessionId()).room();
            await("the relay attached", CONNECT, () -> originRoom.videoLayer(0).receiverCount() == 1);
            publisher.sendKeyFrame((byte) 1);
            publisher.sendDeltaFrame((byte) 2);
            RtpTrack.Sent missing = publisher.video().lose(Payloads.vp8DeltaFrame(100, (byte) 77),
                    SimulatedPublisher.VIDEO_STEP);
            publisher.sendDeltaFrame((byte) 4);
            publisher.sendDeltaFrame((byte) 5);

            // The origin forwards the hole to the edge, whose ingress asks the origin (the relay) for it.
            org.sluice.core.broadcast.ViewerSession relaySession =
                    (org.sluice.core.broadcast.ViewerSession) origin.session(relay);
            await("the edge's NACK at the origin", RECEIVE, () -> relaySession.leg().nacksReceived() > 0);

            // The publisher's retransmission (its NACK came from the origin) goes on to the edge and its viewer.
            publisher.peer().sendRtp(96, publisher.video().ssrc(), missing.sequence(), missing.timestamp(), true,
                    missing.payload());
            List<ReceivedRtp> video = viewer.peer().awaitRtp(p -> p.ssrc() == viewer.videoSsrc(), 5, RECEIVE);
            assertThat(video).extracting(ReceivedRtp::payload).contains(missing.payload());
        }
    }

    @Test
    void aPublisherTakesTheSeatOfARelayButARelayNotThatOfAPublisher() throws Exception {
        RelayOffer offer = origin.offerRelay("show");
        SessionAnswer relayed = edge.publish("show", offer.sdp(), "node-origin");
        try (SimulatedPublisher publisher = SimulatedPublisher.start(edge, "show", "pub", CONNECT)) {
            assertThat(edge.session(relayed.sessionId())).as("the relay ended")
                    .satisfiesAnyOf(s -> assertThat(s).isNull(), s -> assertThat(s.isClosed()).isTrue());
            assertThat(edge.relaysIn()).isZero();
            PublisherSession seat = (PublisherSession) edge.session(publisher.sessionId());
            assertThat(seat.room().publisher()).isSameAs(seat);
            RelayOffer late = origin.offerRelay("show");
            assertThatThrownBy(() -> edge.publish("show", late.sdp(), "node-origin"))
                    .isInstanceOf(OfferRejectedException.class)
                    .extracting(e -> ((OfferRejectedException) e).reason())
                    .isEqualTo(OfferRejectedException.Reason.CONFLICT);
        }
    }

    @Test
    void aMemberLeavingEndsItsRelays() throws Exception {
        RelayOffer offer = origin.offerRelay("show");
        SessionAnswer relayed = edge.publish("show", offer.sdp(), "node-origin");
        assertThat(edge.relaysIn()).isEqualTo(1);
        assertThat(edge.endRelaysFrom("another-node")).isZero();
        assertThat(edge.endRelaysFrom("node-origin")).isEqualTo(1);
        await("relay session gone", CONNECT, () -> edge.session(relayed.sessionId()) == null);
        assertThat(edge.relaysIn()).isZero();
    }

    @Test
    void anUnusableAnswerIsRefusedWithoutASession() {
        assertThatThrownBy(() -> origin.startRelay(origin.offerRelay("show"), "v=0\r\nnot sdp", "edge"))
                .isInstanceOf(OfferRejectedException.class);
        assertThat(origin.sessionCount()).isZero();
    }
}
