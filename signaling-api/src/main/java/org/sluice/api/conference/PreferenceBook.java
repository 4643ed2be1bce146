package org.sluice.api.conference;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.sluice.core.conference.SubscriptionPreferences;

/**
 * One connection's subscription preferences per received track: a {@code preferences} message changes only the
 * fields it carries, so the engine (which takes whole preferences) is given the merge with what was set before.
 */
final class PreferenceBook {

    private final Map<String, SubscriptionPreferences> byTrack = new ConcurrentHashMap<>();

    /** The preferences {@code change} leads to for its track (not yet remembered). */
    SubscriptionPreferences merged(ClientMessage.Preferences change) {
        SubscriptionPreferences old = byTrack.getOrDefault(change.trackId(), SubscriptionPreferences.DEFAULT);
        return new SubscriptionPreferences(
                change.paused() != null ? change.paused() : old.paused(),
                change.maxHeight() != null ? change.maxHeight() : old.maxHeight(),
                change.setsMaxLayer() ? change.maxLayer() : old.maxLayer(),
                change.priority() != null ? change.priority() : old.priority(),
                change.maxFramerate() != null ? change.maxFramerate() : old.maxFramerate(),
                change.maxSpatialLayer() != null ? change.maxSpatialLayer() : old.maxSpatialLayer(),
                change.maxTemporalLayer() != null ? change.maxTemporalLayer() : old.maxTemporalLayer());
    }

    /** Remembers what the engine accepted. */
    void remember(String trackId, SubscriptionPreferences preferences) {
        byTrack.put(trackId, preferences);
    }
}
