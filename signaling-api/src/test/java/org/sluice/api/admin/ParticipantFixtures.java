package org.sluice.api.admin;

import java.time.Instant;
import java.util.List;
import org.sluice.core.conference.Layer;
import org.sluice.core.conference.ParticipantInfo;
import org.sluice.core.conference.ParticipantStats;
import org.sluice.core.conference.PauseCause;
import org.sluice.core.conference.TrackInfo;
import org.sluice.core.conference.TrackSource;
import org.sluice.core.forward.InboundStreamStats;
import org.sluice.core.forward.MediaKind;
import org.sluice.core.forward.OutboundStreamStats;

/** Participants with known counters for the admin API tests. */
final class ParticipantFixtures {

    static final Instant JOINED = Instant.parse("2026-01-02T03:00:00Z");

    private ParticipantFixtures() {
    }

    /** Publishes a microphone and a two-layer camera, receives one track of bob's. */
    static ParticipantStats alice() {
        TrackInfo mic = new TrackInfo("TRa1", "PAalice", MediaKind.AUDIO, TrackSource.MICROPHONE, true, List.of());
        TrackInfo camera = new TrackInfo("TRv1", "PAalice", MediaKind.VIDEO, TrackSource.CAMERA, false,
                List.of(new Layer("q", 320, 180), new Layer("f", 1280, 720)));
        ParticipantInfo info = new ParticipantInfo("PAalice", "Alice", "{\"role\":\"host\",\"seat\":3}",
                List.of(mic, camera));
        return new ParticipantStats(info, JOINED, "connected", 1000, 120_000, 2000, 2_400_000,
                List.of(new ParticipantStats.TrackStats("TRa1", 400, 20_000, 1,
                                List.of(new InboundStreamStats(1111, null, 2.5, -1, List.of())), java.util.Map.of(), 0),
                        new ParticipantStats.TrackStats("TRv1", 600, 100_000, 2, List.of(
                                new InboundStreamStats(2222, "q", 4.125, 7.5, List.of(
                                        new InboundStreamStats.LayerStats(0, 0, 15, 150_000),
                                        new InboundStreamStats.LayerStats(0, 1, 30, 250_000))),
                                new InboundStreamStats(3333, "f", 3, 9.25, List.of(
                                        new InboundStreamStats.LayerStats(0, 0, 30, 1_500_000)))), orderedLayers(), 1)),
                List.of("TRbob"), new ParticipantStats.LinkStats(1_800_000, 1_200_000, 42.5, 3, 77),
                List.of(new ParticipantStats.ReceiveStats("TRbob", new OutboundStreamStats(4444, MediaKind.VIDEO,
                        1500, 12, 7, 0.25, 40, 90, 1.0, 42.5, true), PauseCause.BANDWIDTH, 0, 0, 2)));
    }

    /** Nothing published yet, metadata absent. */
    static ParticipantStats bob() {
        return new ParticipantStats(new ParticipantInfo("PAbob", "Bob", null, List.of()), JOINED.plusSeconds(5), "new",
                0, 0, 0, 0, List.of(), List.of());
    }

    /** Dynacast's view of TRv1: q sent, f switched off (order kept, lowest first). */
    private static java.util.Map<String, Boolean> orderedLayers() {
        java.util.Map<String, Boolean> layers = new java.util.LinkedHashMap<>();
        layers.put("q", true);
        layers.put("f", false);
        return layers;
    }
}
