package org.sluice.api.admin;

import java.time.Instant;
import java.util.List;
import org.sluice.core.conference.Layer;
import org.sluice.core.conference.ParticipantInfo;
import org.sluice.core.conference.ParticipantStats;
import org.sluice.core.conference.TrackInfo;
import org.sluice.core.conference.TrackSource;
import org.sluice.core.forward.MediaKind;

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
                List.of(new ParticipantStats.TrackStats("TRa1", 400, 20_000, 1),
                        new ParticipantStats.TrackStats("TRv1", 600, 100_000, 2,
                                orderedLayers(), 1)),
                List.of("TRbob"), new ParticipantStats.LinkStats(1_800_000, 1_200_000, 42.5, 3, 77),
                List.of(new ParticipantStats.ReceiveStats("TRbob", 1500, 12, 0.25, 90, 7)));
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
