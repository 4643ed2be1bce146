package org.sluice.core.conference;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.sluice.core.metrics.EngineMetrics;
import org.sluice.core.testing.ReceivedRtp;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.core.conference.ConferenceTestSupport.CONNECT;
import static org.sluice.core.conference.ConferenceTestSupport.QUIET;
import static org.sluice.core.conference.ConferenceTestSupport.RECEIVE;
import static org.sluice.core.conference.ConferenceTestSupport.assertReceived;
import static org.sluice.core.conference.ConferenceTestSupport.sendBurst;
import static org.sluice.core.conference.ConferenceTestSupport.settle;
import static org.sluice.core.testing.Waits.await;

/** What a publisher and a subscriber control: mute, pause, unsubscribe, unpublish, and undoing each. */
class ConferenceControlsTest extends PublisherAndSubscriberTestBase {

    private String audio() {
        return publisher.publishedTrack("0");
    }

    private String video() {
        return publisher.publishedTrack("1");
    }

    @Test
    void bothTracksFlowToTheSubscriber() throws Exception {
        assertThat(subscriber.incoming()).hasSize(2);
        ConferenceTestSupport.Burst burst = sendBurst(publisher, 5);
        List<ReceivedRtp> got = subscriber.peer().awaitRtp(p -> true, 10, RECEIVE);
        assertReceived(got, subscriber, audio(), burst.audio());
        assertReceived(got, subscriber, video(), burst.video());
    }

    @Test
    void mutingStopsATrackAndUnmutingRestoresIt() throws Exception {
        publisher.participant().setMuted(video(), true);
        assertThat(subscriber.awaitEvent(ConferenceEvent.TrackMuted.class,
                e -> e.trackId().equals(video()) && e.muted(), RECEIVE)).isNotNull();
        subscriber.peer().drainRtp();
        ConferenceTestSupport.Burst muted = sendBurst(publisher, 5);
        List<ReceivedRtp> got = subscriber.peer().awaitRtp(p -> true, 10, QUIET);
        assertReceived(got, subscriber, audio(), muted.audio());
        assertThat(got).noneMatch(p -> p.ssrc() == subscriber.ssrcOf(video()));

        publisher.participant().setMuted(video(), false);
        assertThat(subscriber.awaitEvent(ConferenceEvent.TrackMuted.class,
                e -> e.trackId().equals(video()) && !e.muted(), RECEIVE)).isNotNull();
        ConferenceTestSupport.Burst unmuted = sendBurst(publisher, 5);
        got = subscriber.peer().awaitRtp(p -> true, 10, RECEIVE);
        assertReceived(got, subscriber, video(), unmuted.video());
    }

    @Test
    void pausingStopsForwardingAndResumingRestoresIt() throws Exception {
        subscriber.participant().setPreferences(audio(), new SubscriptionPreferences(true, 0, null, 100));
        subscriber.peer().drainRtp();
        ConferenceTestSupport.Burst paused = sendBurst(publisher, 5);
        List<ReceivedRtp> got = subscriber.peer().awaitRtp(p -> true, 10, QUIET);
        assertThat(got).noneMatch(p -> p.ssrc() == subscriber.ssrcOf(audio()));
        assertReceived(got, subscriber, video(), paused.video());

        subscriber.participant().setPreferences(audio(), SubscriptionPreferences.DEFAULT);
        ConferenceTestSupport.Burst resumed = sendBurst(publisher, 5);
        got = subscriber.peer().awaitRtp(p -> true, 10, RECEIVE);
        assertReceived(got, subscriber, audio(), resumed.audio());
    }

    @Test
    void unsubscribingEndsTheSectionAndSubscribingAgainGivesItBack() throws Exception {
        long before = subscriber.ssrcOf(video());
        subscriber.participant().unsubscribe(List.of(video()));
        settle(List.of(publisher, subscriber));
        assertThat(subscriber.ssrcOf(video())).as("the section went inactive").isEqualTo(-1);
        subscriber.peer().drainRtp();
        ConferenceTestSupport.Burst without = sendBurst(publisher, 5);
        List<ReceivedRtp> got = subscriber.peer().awaitRtp(p -> true, 10, QUIET);
        assertThat(got).hasSize(5).noneMatch(p -> p.ssrc() == before);
        assertReceived(got, subscriber, audio(), without.audio());

        subscriber.participant().subscribe(List.of(video()));
        settle(List.of(publisher, subscriber));
        assertThat(subscriber.ssrcOf(video())).isPositive();
        ConferenceTestSupport.Burst again = sendBurst(publisher, 5);
        got = subscriber.peer().awaitRtp(p -> true, 10, RECEIVE);
        assertReceived(got, subscriber, video(), again.video());
    }

    @Test
    void unpublishingEndsTheTrackAndPublishingAgainRestoresIt() throws Exception {
        String old = audio();
        publisher.participant().unpublish(old);
        assertThat(subscriber.awaitEvent(ConferenceEvent.TrackUnpublished.class, e -> e.trackId().equals(old),
                RECEIVE)).isNotNull();
        settle(List.of(publisher, subscriber));
        assertThat(subscriber.ssrcOf(old)).isEqualTo(-1);
        subscriber.peer().drainRtp();
        sendBurst(publisher, 5);
        List<ReceivedRtp> got = subscriber.peer().awaitRtp(p -> true, 10, QUIET);
        assertThat(got).hasSize(5).allMatch(p -> p.ssrc() == subscriber.ssrcOf(video()));

        // The client's next offer sends its audio section again: a new track.
        publisher.negotiate(CONNECT);
        String fresh = audio();
        assertThat(fresh).isNotEqualTo(old);
        assertThat(subscriber.awaitEvent(ConferenceEvent.TrackPublished.class, e -> e.track().id().equals(fresh),
                RECEIVE)).isNotNull();
        settle(List.of(publisher, subscriber));
        ConferenceTestSupport.Burst restored = sendBurst(publisher, 5);
        got = subscriber.peer().awaitRtp(p -> true, 10, RECEIVE);
        assertThat(got).as("received %s, incoming %s, stats %s", got.stream().map(ReceivedRtp::ssrc).toList(),
                subscriber.incoming(), engine.conferences().participants("room")).hasSize(10);
        assertReceived(got, subscriber, fresh, restored.audio());
    }

    @Test
    void theCountersShowWhatFlows() throws Exception {
        sendBurst(publisher, 5);
        assertThat(subscriber.peer().awaitRtp(p -> true, 10, RECEIVE)).hasSize(10);
        await("counters", CONNECT, () -> {
            try {
                List<ParticipantStats> stats = engine.conferences().participants("room");
                ParticipantStats pub = stats.stream().filter(s -> s.info().id().equals(publisher.id())).findFirst()
                        .orElseThrow();
                ParticipantStats sub = stats.stream().filter(s -> s.info().id().equals(subscriber.id())).findFirst()
                        .orElseThrow();
                return pub.packetsIn() == 10 && sub.packetsOut() == 10 && pub.tracks().size() == 2
                        && pub.tracks().stream().allMatch(t -> t.packetsIn() == 5 && t.subscribers() == 1)
                        && sub.subscriptions().size() == 2;
            } catch (ConferenceException e) {
                return false;
            }
        });
        assertThat(engine.conferences().room("room")).get().extracting(RoomInfo::participants, RoomInfo::tracks)
                .containsExactly(2, 2);

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new EngineMetrics(engine).bindTo(registry);
        assertThat(registry.get("sluice.conference.rooms").gauge().value()).isEqualTo(1);
        assertThat(registry.get("sluice.conference.participants").gauge().value()).isEqualTo(2);
        assertThat(registry.get("sluice.conference.tracks").gauge().value()).isEqualTo(2);
        assertThat(registry.get("sluice.conference.join.latency").functionTimer().count()).isEqualTo(2);
        assertThat(registry.get("sluice.packets.forwarded").functionCounter().count()).isEqualTo(10);

        // The forwarded total does not go backwards when the subscriber leaves.
        subscriber.participant().leave();
        assertThat(registry.get("sluice.packets.forwarded").functionCounter().count()).isEqualTo(10);
        assertThat(registry.get("sluice.conference.participants").gauge().value()).isEqualTo(1);

        // NACKs the publisher sends are counted.
        subscriber.peer().drainRtp();
        io.netty.buffer.ByteBuf nack = io.netty.buffer.Unpooled.buffer(24);
        nack.writeInt(0x80C90001).writeInt(1);
        nack.writeInt(0x81CD0003).writeInt(1).writeInt(2).writeInt(0x00050000);
        publisher.peer().sendRtcp(nack);
        nack.release();
        await("nack counted", CONNECT,
                () -> registry.get("sluice.rtcp.nacks.received").functionCounter().count() == 1);
    }
}
