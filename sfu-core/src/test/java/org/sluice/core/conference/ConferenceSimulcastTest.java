package org.sluice.core.conference;

import org.junit.jupiter.api.Test;
import org.sluice.core.testing.ReceivedRtp;
import org.sluice.core.testing.SimulatedParticipant;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.core.conference.ConferenceTestSupport.QUIET;
import static org.sluice.core.conference.ConferenceTestSupport.RECEIVE;

/** A simulcast publisher: each rid feeds its layer; a subscriber gets the layer its preferences choose. */
class ConferenceSimulcastTest extends PublisherAndSubscriberTestBase {

    private static final List<Layer> LAYERS = List.of(new Layer("q", 320, 180), new Layer("h", 640, 360),
            new Layer("f", 1280, 720));

    @Override
    void beforeOffer(SimulatedParticipant publisher) {
        publisher.simulcast(LAYERS);
    }

    /** Sends a key frame on every layer, marked 10 (q), 20 (h), 30 (f) plus {@code round}; returns the markers got. */
    private List<Integer> round(int round, int expected) throws Exception {
        publisher.sendLayerKeyFrame("q", (byte) (10 + round));
        publisher.sendLayerKeyFrame("h", (byte) (20 + round));
        publisher.sendLayerKeyFrame("f", (byte) (30 + round));
        List<ReceivedRtp> got = expected == 0 ? subscriber.peer().awaitRtp(p -> true, 1, QUIET)
                : subscriber.peer().awaitRtp(p -> true, expected, RECEIVE);
        assertThat(got).allMatch(p -> p.ssrc() == subscriber.ssrcOf(publisher.publishedTrack("1")));
        return got.stream().map(p -> (int) p.payload()[p.payload().length - 1]).toList();
    }

    @Test
    void theTopLayerByDefaultAndTheLayerThePreferencesChooseAfterwards() throws Exception {
        String video = publisher.publishedTrack("1");
        assertThat(publisher.participant().info().tracks()).filteredOn(t -> t.id().equals(video))
                .singleElement().extracting(TrackInfo::layers).isEqualTo(LAYERS);
        subscriber.peer().drainRtp();
        assertThat(round(1, 1)).containsExactly(31);
        assertThat(round(2, 1)).containsExactly(32);

        subscriber.participant().setPreferences(video, new SubscriptionPreferences(false, 360, null, 100));
        assertThat(round(3, 1)).containsExactly(23);

        subscriber.participant().setPreferences(video, new SubscriptionPreferences(false, 0, "q", 100));
        assertThat(round(4, 1)).containsExactly(14);

        subscriber.participant().setPreferences(video, new SubscriptionPreferences(true, 0, "q", 100));
        assertThat(round(5, 0)).isEmpty();
        subscriber.participant().setPreferences(video, SubscriptionPreferences.DEFAULT);
        assertThat(round(6, 1)).containsExactly(36);

        List<ParticipantStats> stats = engine.conferences().participants("room");
        assertThat(stats).filteredOn(s -> s.info().id().equals(publisher.id())).singleElement()
                .satisfies(s -> assertThat(s.tracks()).filteredOn(t -> t.trackId().equals(video)).singleElement()
                        .satisfies(t -> assertThat(t.packetsIn()).isEqualTo(18)));
    }
}
