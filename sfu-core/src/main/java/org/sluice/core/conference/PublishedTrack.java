package org.sluice.core.conference;

import org.sluice.core.conference.speaker.AudioLevelMeter;
import org.sluice.core.forward.InboundStream;
import org.sluice.core.forward.LayerRates;
import org.sluice.core.forward.MediaKind;
import org.sluice.core.forward.MediaSlot;
import org.sluice.core.forward.InboundStreamStats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A track a participant publishes: one m-section of its offer, one {@link MediaSlot} per simulcast layer (or one
 * slot), the inbound streams learned for each layer, its muted state and its subscriptions. Its streams are
 * attached to the slots unless it is muted or closed; that state is guarded by this object (the publisher's loop
 * learns streams while the control plane mutes). Subscriptions are guarded by the room's lock.
 */
final class PublishedTrack {

    private final String id;
    private final String participantId;
    private final String mid;
    private final MediaKind kind;
    private final TrackSource source;
    private final List<Layer> layers;
    private final MediaSlot[] slots;
    private final InboundStream[] latest;
    /** Layers whose packets keep arriving (control plane; see {@link #updateLiveLayers}). */
    private final boolean[] live;
    private final Set<Subscription> subscriptions = new LinkedHashSet<>();
    private final AudioLevelMeter meter;
    private final int audioLevelId;
    /** The full picture height the publisher declared, 0 if unknown. */
    private final int height;
    /** The scalability mode the publisher declared, or null. */
    private final String scalabilityMode;
    private boolean muted;
    private volatile boolean closed;
    private Runnable layerArrival = () -> { };
    /** Which layers the publisher is asked to send; null until the first evaluation (room lock). */
    private Dynacast dynacast;
    private final List<Integer> lastTargets = new ArrayList<>();

    PublishedTrack(String id, String participantId, String mid, MediaKind kind, TrackSource source, boolean muted,
                   List<Layer> layers, int loops, int audioLevelId) {
        this(id, participantId, mid, kind, source, muted, layers, loops, audioLevelId, 0, null);
    }

    /**
     * A track whose publisher declared its full picture {@code height} (0 if not) and the {@code scalabilityMode}
     * of its encoder (null if not): what maps a subscriber's {@code maxHeight} on an SVC track's spatial layers.
     */
    PublishedTrack(String id, String participantId, String mid, MediaKind kind, TrackSource source, boolean muted,
                   List<Layer> layers, int loops, int audioLevelId, int height, String scalabilityMode) {
        this.id = id;
        this.height = height;
        this.scalabilityMode = scalabilityMode;
        this.participantId = participantId;
        this.mid = mid;
        this.kind = kind;
        this.source = source;
        this.muted = muted;
        this.layers = List.copyOf(layers);
        int count = Math.max(1, layers.size());
        this.slots = new MediaSlot[count];
        for (int i = 0; i < count; i++) {
            slots[i] = new MediaSlot(kind, loops);
        }
        this.latest = new InboundStream[count];
        this.live = new boolean[count];
        this.audioLevelId = kind == MediaKind.AUDIO ? audioLevelId : 0;
        this.meter = this.audioLevelId > 0 ? new AudioLevelMeter() : null;
    }

    /** The negotiated id of the audio-level header extension of an audio track; 0 when it has none. */
    int audioLevelId() {
        return audioLevelId;
    }

    /** The loudness meter of an audio track with the audio-level extension, else null. */
    AudioLevelMeter meter() {
        return meter;
    }

    String id() {
        return id;
    }

    String participantId() {
        return participantId;
    }

    String mid() {
        return mid;
    }

    MediaKind kind() {
        return kind;
    }

    List<Layer> layers() {
        return layers;
    }

    synchronized boolean isMuted() {
        return muted;
    }

    TrackInfo info() {
        return new TrackInfo(id, participantId, kind, source, isMuted(), layers);
    }

    /** The layer index of {@code rid} (0 without simulcast), or -1 if the track has no such layer. */
    int layerIndex(String rid) {
        if (layers.isEmpty()) {
            return 0;
        }
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).rid().equals(rid)) {
                return i;
            }
        }
        return -1;
    }

    MediaSlot slot(int layer) {
        return slots[layer];
    }

    /** The layer slots, lowest first (a copy). */
    MediaSlot[] slots() {
        return slots.clone();
    }

    /** The streams arriving for this track now, one per simulcast layer that has a source, lowest first. */
    List<InboundStreamStats> streamStats() {
        List<InboundStreamStats> out = new java.util.ArrayList<>();
        for (int i = 0; i < slots.length; i++) {
            InboundStream source = slots[i].source();
            if (source != null) {
                out.add(InboundStreamStats.of(source, layers.isEmpty() ? null : layers.get(i).rid()));
            }
        }
        return out;
    }

    /** Whether this is a screen share (the allocator serves it before cameras). */
    boolean isScreen() {
        return source == TrackSource.SCREEN;
    }

    /** The declared full picture height, 0 if unknown. */
    int height() {
        return height;
    }

    /** The declared scalability mode, or null. */
    String scalabilityMode() {
        return scalabilityMode;
    }

    /** What the latest stream of {@code layer} is measured to deliver per (spatial, temporal) layer. */
    synchronized LayerRates rates(int layer) {
        InboundStream stream = layer >= 0 && layer < latest.length ? latest[layer] : null;
        return stream == null ? LayerRates.NONE : stream.rates();
    }

    /**
     * The spatial layer a subscriber with {@code preferences} is limited to within the stream it receives
     * ({@link LayerLimits#ALL} for none): on a single-stream (SVC) video track from {@code maxHeight}, by
     * {@link LayerLimits#spatialFor}; simulcast tracks choose their layer by slot instead.
     */
    int spatialLimit(SubscriptionPreferences preferences) {
        int spatial = LayerLimits.ALL;
        if (kind == MediaKind.VIDEO && layers.isEmpty() && preferences.maxHeight() > 0) {
            int count = LayerLimits.spatialLayers(scalabilityMode);
            if (count == 0) {
                count = rates(0).highestSpatial() + 1;
            }
            spatial = LayerLimits.spatialFor(preferences.maxHeight(), height, count,
                    LayerLimits.spatialRatio(scalabilityMode));
        }
        return LayerLimits.capped(spatial, preferences.maxSpatialLayer());
    }

    /**
     * Runs {@code hook} when a layer that was not live gets a new stream (on the publisher's loop: the hook only
     * hands the work on), so subscribers can move to a layer that started after they were placed.
     */
    synchronized void onLayerArrival(Runnable hook) {
        this.layerArrival = hook;
    }

    /**
     * The layer a subscriber with {@code preferences} receives: among the live layers (packets arriving), the
     * highest within its limits (by rid and height), else the lowest live one; with no live layer, the highest
     * declared within the limits. A publisher may declare layers it never sends (Chrome drops the top rid at small
     * capture sizes) or stop one (under congestion): a subscriber never waits on one.
     */
    synchronized int layerFor(SubscriptionPreferences preferences) {
        int chosen = cappedLayer(preferences);
        for (int i = chosen; i >= 0; i--) {
            if (live[i]) {
                return i;
            }
        }
        for (int i = chosen + 1; i < live.length; i++) {
            if (live[i]) {
                return i;
            }
        }
        return chosen;
    }

    /**
     * Re-evaluates which layers are live: a layer is live while its latest stream had a packet within
     * {@code timeoutNanos} of {@code nowNanos}. Control plane; true when the set changed (subscribers then need
     * re-placing).
     */
    synchronized boolean updateLiveLayers(long nowNanos, long timeoutNanos) {
        if (slots.length < 2) {
            return false;
        }
        boolean changed = false;
        for (int i = 0; i < live.length; i++) {
            boolean now = latest[i] != null && nowNanos - latest[i].lastArrivalNanos() <= timeoutNanos;
            changed |= now != live[i];
            live[i] = now;
        }
        return changed;
    }

    /**
     * The layer a subscriber with {@code preferences} would receive if every layer arrived: the highest declared
     * within its limits (what dynacast keeps switched on for it).
     */
    synchronized int wantedLayer(SubscriptionPreferences preferences) {
        return cappedLayer(preferences);
    }

    /** The highest layer whose packets keep arriving, -1 when none does (or the track has one layer). */
    synchronized int highestLiveLayer() {
        for (int i = live.length - 1; i >= 0; i--) {
            if (live[i]) {
                return i;
            }
        }
        return -1;
    }

    /** Whether dynacast applies: a simulcast video track. */
    boolean hasDynacast() {
        return kind == MediaKind.VIDEO && layers.size() > 1;
    }

    /**
     * Re-evaluates which layers the publisher should send from what the subscriptions need now (room lock held):
     * each subscription's {@link Subscription#dynacastTarget}, and the lowest layer while anyone subscribes.
     * Returns the layers switched on or off (0: nothing to tell the publisher).
     */
    int evaluateDynacast(long nowNanos) {
        if (!hasDynacast()) {
            return 0;
        }
        if (dynacast == null) {
            dynacast = new Dynacast(layers.size(), nowNanos);
        }
        boolean[] needed = new boolean[layers.size()];
        lastTargets.clear();
        for (Subscription s : subscriptions) {
            needed[0] = true;
            int target = s.dynacastTarget(nowNanos);
            lastTargets.add(target);
            if (target >= 0) {
                needed[Math.min(target, needed.length - 1)] = true;
            }
        }
        return dynacast.update(needed, nowNanos);
    }

    /** The rids the publisher is asked to send now, lowest first, each with whether it is on (room lock held). */
    Map<String, Boolean> activeLayers() {
        Map<String, Boolean> out = new LinkedHashMap<>();
        if (hasDynacast()) {
            for (int i = 0; i < layers.size(); i++) {
                out.put(layers.get(i).rid(), dynacast == null || dynacast.isActive(i));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Each subscription's dynacast target at the last evaluation (-1: paused), for the log (room lock held). */
    List<Integer> dynacastTargets() {
        return List.copyOf(lastTargets);
    }

    /** Layers switched on or off for this track so far (room lock held). */
    long dynacastToggles() {
        return dynacast == null ? 0 : dynacast.toggles();
    }

    /** The highest declared layer within the preferences' limits, the lowest if none fits. */
    private int cappedLayer(SubscriptionPreferences preferences) {
        int chosen = slots.length - 1;
        if (layers.isEmpty()) {
            return 0;
        }
        if (preferences.maxLayer() != null) {
            int capped = layerIndex(preferences.maxLayer());
            if (capped >= 0) {
                chosen = Math.min(chosen, capped);
            }
        }
        if (preferences.maxHeight() > 0) {
            int fitting = 0;
            for (int i = 0; i <= chosen; i++) {
                int height = layers.get(i).height();
                if (height > 0 && height <= preferences.maxHeight()) {
                    fitting = i;
                }
            }
            chosen = fitting;
        }
        return chosen;
    }

    /** A stream of layer {@code layer} was learned (publisher's loop): it feeds its slot unless muted or closed. */
    synchronized void onStreamLearned(InboundStream stream, int layer) {
        boolean firstOfLayer = !live[layer];
        latest[layer] = stream;
        live[layer] = true;
        if (!muted && !closed) {
            slots[layer].attachSource(stream);
        }
        if (firstOfLayer && slots.length > 1) {
            layerArrival.run();
        }
    }

    /** Mutes (detaches every layer's stream) or unmutes (reattaches; the slots ask for keyframes). */
    synchronized boolean setMuted(boolean mute) {
        if (closed || muted == mute) {
            return false;
        }
        muted = mute;
        for (int i = 0; i < slots.length; i++) {
            if (latest[i] == null) {
                continue;
            }
            if (mute) {
                slots[i].detachSource(latest[i]);
            } else {
                slots[i].attachSource(latest[i]);
            }
        }
        return true;
    }

    /** The SSRCs of the streams learned for its layers (the latest per layer). */
    synchronized long[] learnedSsrcs() {
        return java.util.Arrays.stream(latest).filter(java.util.Objects::nonNull).mapToLong(InboundStream::ssrc)
                .toArray();
    }

    /** Whether the track ended; any thread. */
    boolean isClosed() {
        return closed;
    }

    /** Ends the track: nothing is forwarded from it any more. */
    synchronized void close() {
        closed = true;
        for (int i = 0; i < slots.length; i++) {
            if (latest[i] != null) {
                slots[i].detachSource(latest[i]);
            }
        }
    }

    /** Subscriptions to this track (room lock). */
    Set<Subscription> subscriptions() {
        return subscriptions;
    }
}
