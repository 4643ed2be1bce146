package org.sluice.core.conference;

import org.sluice.core.peer.MediaSection;
import org.sluice.core.forward.LayerRates;
import org.sluice.core.forward.MediaKind;
import org.sluice.core.forward.MediaSlot;
import org.sluice.core.forward.RepairCounters;
import org.sluice.core.forward.OutboundStream;
import org.sluice.core.sdp.negotiation.OutboundTrack;
import org.sluice.core.transport.MediaTransport;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * One subscriber receiving one track: its own SSRC toward the subscriber and, once a receive section carries it,
 * an {@link OutboundStream} built from that section's negotiated codecs and extension ids, attached to the layer
 * slot its preferences choose once the subscriber's transport is connected, paused while the subscriber wants,
 * and limited to the spatial and temporal layers its preferences choose within that slot's stream
 * ({@link LayerLimits}). Control-plane state guarded by the room's lock.
 */
final class Subscription {

    private final PublishedTrack track;
    private final long ssrc = ThreadLocalRandom.current().nextLong(1, 0x100000000L);
    /** Our RTX SSRC for a video track, announced in an FID group where the subscriber negotiates RTX. */
    private final long rtxSsrc;
    private SubscriptionPreferences preferences = SubscriptionPreferences.DEFAULT;
    private String mid;
    private MediaSection section;
    private OutboundStream stream;
    private MediaSlot attachedTo;
    /** The layer slot the stream was last placed on. */
    private int placedLayer;
    /** The layer limits given to the stream, -1 before any. */
    private int appliedSpatial = -1;
    private int appliedTemporal = -1;
    /**
     * The layer this subscriber's bandwidth was last seen not to carry while a higher one arrived
     * ({@link Integer#MAX_VALUE}: none), and when; dynacast keeps honouring it for {@link #CEILING_HOLD_NANOS}
     * after the higher layer stopped, so a layer switched off for lack of bandwidth is not switched on again at once.
     */
    private int bandwidthCeiling = Integer.MAX_VALUE;
    private long ceilingNanos;
    /** How long a bandwidth ceiling outlives the evidence for it (then the layer is tried again). */
    static final long CEILING_HOLD_NANOS = 10_000_000_000L;
    private long retiredPackets;
    private long retiredOctets;
    /** What the subscriber was last told of this subscription's state: null while active. */
    private PauseCause toldPause;
    /** Whether the subscriber's current connection was told this subscription's state at all. */
    private boolean told = true;
    /** The room's leading active speaker when last told (null: none); ranks streams created later too. */
    private String speaker;
    /**
     * The negotiation whose answer introduced the current stream, while the subscriber has not said it applied
     * that answer (0: not held). Nothing is forwarded until then: a packet that reaches a browser before the
     * answer that maps its SSRC can be taken by another section of the same kind (Firefox routes it by payload type
     * and binds the SSRC there), and that section's stream then never plays.
     */
    private long heldForAnswer;

    Subscription(PublishedTrack track) {
        this.track = track;
        this.rtxSsrc = track.kind() == MediaKind.VIDEO ? ThreadLocalRandom.current().nextLong(1, 0x100000000L) : -1;
    }

    PublishedTrack track() {
        return track;
    }

    long ssrc() {
        return ssrc;
    }

    String mid() {
        return mid;
    }

    SubscriptionPreferences preferences() {
        return preferences;
    }

    OutboundStream stream() {
        return stream;
    }

    /** The track as the answer announces it in its receive section. */
    OutboundTrack outboundTrack(String cname) {
        return new OutboundTrack(track.kind().sdpName(), track.participantId(), track.id(), ssrc, rtxSsrc, cname);
    }

    /**
     * A receive section carries this subscription (kept across answers while it stays the same mid). Returns
     * whether that made a new stream (a new section, or the first), which the subscriber learns of from this answer.
     */
    boolean carryIn(String newMid, MediaSection negotiated, MediaTransport transport, LongSupplier nanoClock,
                    RepairCounters counters) {
        if (stream != null && newMid.equals(mid)) {
            return false;
        }
        detach();
        this.mid = newMid;
        this.section = negotiated;
        this.stream = newStream(transport, nanoClock, counters);
        applyLayerLimits();
        return true;
    }

    /** Holds the stream carried in by negotiation {@code negotiation} until {@link #answerApplied} covers it. */
    void holdForAnswer(long negotiation) {
        this.heldForAnswer = negotiation;
    }

    /**
     * The subscriber applied the answers up to negotiation {@code negotiation}: a stream held for one of them may
     * forward ({@link #refresh} attaches it). Returns whether this released a hold.
     */
    boolean answerApplied(long negotiation) {
        if (heldForAnswer != 0 && heldForAnswer <= negotiation) {
            heldForAnswer = 0;
            return true;
        }
        return false;
    }

    /** Whether the stream waits for the subscriber to apply the answer that introduced it. */
    boolean heldForAnswer() {
        return heldForAnswer != 0;
    }

    private OutboundStream newStream(MediaTransport transport, LongSupplier nanoClock, RepairCounters counters) {
        placedLayer = track.layerFor(preferences);
        MediaSlot slot = track.slot(placedLayer);
        appliedSpatial = -1;
        appliedTemporal = -1;
        long rtx = section.codecs().hasRtx() ? rtxSsrc : -1;
        OutboundStream created = new OutboundStream(transport, ssrc, rtx, slot, section.codecs(), section.extensions(),
                nanoClock, counters);
        created.useTransportCc(section.transportCcExtensionId());
        if (track.layers().size() > 1) {
            created.offerLayers(track.slots()); // the subscriber's allocator caps the layer by its bandwidth
        }
        created.rank(rankFor(speaker));
        // Paused until refresh attaches it: a stream that forwards nothing yet (the transport not connected, the
        // answer not applied) must not take a share of the receiver's bandwidth, nor hold its layer down, which
        // dynacast would read as a bandwidth ceiling and switch the publisher's upper layers off for.
        created.pause();
        return created;
    }

    /** Changes the preferences; {@link #refresh} applies them. */
    void prefer(SubscriptionPreferences next) {
        this.preferences = next;
    }

    /**
     * Makes the stream forward exactly when it should: attached once the subscriber's transport is connected,
     * paused and resumed as preferred (the stream resynchronizes and waits for a keyframe), moved to the layer slot
     * the preferences choose (same SSRC, continuous sequence numbers).
     */
    void refresh(MediaTransport transport) {
        boolean wanted = stream != null && heldForAnswer == 0 && transport != null && transport.isConnected()
                && transport.loop() != null;
        if (!wanted) {
            detachSink();
            return;
        }
        int loop = transport.loop().index();
        // The preferred live layer, unless the subscriber's bandwidth allows only a lower one.
        placedLayer = Math.min(track.layerFor(preferences), stream.bandwidthLayer());
        MediaSlot target = track.slot(placedLayer);
        if (attachedTo == null) {
            if (stream.isPaused()) {
                stream.moveTo(target, loop); // only changes where it resumes
                stream.resume(loop);
            } else if (stream.slot() != target) {
                stream.moveTo(target, loop);
            } else {
                target.addSink(stream, loop);
            }
            attachedTo = target;
        } else if (stream.slot() != target) {
            stream.moveTo(target, loop);
            attachedTo = target;
        }
        if (preferences.paused() && !stream.isPaused()) {
            stream.pause();
        } else if (!preferences.paused() && stream.isPaused()) {
            stream.resume(loop);
        }
        applyLayerLimits();
    }

    /**
     * Gives the stream the spatial and temporal limits the preferences choose from what its source is measured to
     * deliver now ({@link LayerLimits}); on every room tick, as rates become known and change. Raising the spatial
     * limit asks the publisher for a keyframe, where a receiver can switch up. Room lock held.
     */
    /** Whether the layer this subscription should be on (preference, bandwidth) is not the one it was placed on. */
    boolean placementStale() {
        return stream != null && attachedTo != null
                && Math.min(track.layerFor(preferences), stream.bandwidthLayer()) != placedLayer;
    }

    /**
     * The layer dynacast keeps on for this subscriber (-1: none, it paused the track): the highest layer its
     * preferences allow whether or not it arrives now (so a layer switched off comes back when a subscriber lifts
     * its limit), lowered to what its allocator allows where that is a real bandwidth limit. The allocator chooses
     * among arriving layers only, so its layer is a limit only when a higher layer arrives and was not chosen; that
     * ceiling is remembered for {@link #CEILING_HOLD_NANOS} after the higher layer stops. Room lock held.
     */
    int dynacastTarget(long nowNanos) {
        if (preferences.paused()) {
            return -1;
        }
        int wanted = track.wantedLayer(preferences);
        OutboundStream s = stream;
        int allowed = s == null ? Integer.MAX_VALUE : s.bandwidthLayer();
        int highestLive = track.highestLiveLayer();
        if (allowed < highestLive) {
            bandwidthCeiling = allowed;
            ceilingNanos = nowNanos;
        } else if (bandwidthCeiling != Integer.MAX_VALUE
                && (highestLive > bandwidthCeiling || nowNanos - ceilingNanos >= CEILING_HOLD_NANOS)) {
            bandwidthCeiling = Integer.MAX_VALUE; // a higher layer arrives and fits, or the evidence is old
        }
        return Math.min(wanted, bandwidthCeiling);
    }

    /** Ranks the stream for the subscriber's allocator: 0 screen share, 1 the active speaker's, 2 others. */
    void rank(String speaker) {
        this.speaker = speaker;
        OutboundStream s = stream;
        if (s != null) {
            s.rank(rankFor(speaker));
        }
    }

    private int rankFor(String speaker) {
        return track.isScreen() ? 0 : track.participantId().equals(speaker) ? 1 : 2;
    }

    void applyLayerLimits() {
        OutboundStream s = stream;
        if (s == null || track.kind() != MediaKind.VIDEO) {
            return;
        }
        int spatial = track.spatialLimit(preferences);
        int temporal = LayerLimits.ALL;
        if (preferences.maxFramerate() > 0) {
            LayerRates rates = track.rates(placedLayer);
            int measuredSpatial = Math.max(0, rates.highestSpatial());
            int ratesAt = spatial == LayerLimits.ALL ? measuredSpatial : Math.min(spatial, measuredSpatial);
            temporal = LayerLimits.temporalFor(rates::framesPerSecond, ratesAt, preferences.maxFramerate(),
                    appliedTemporal);
        }
        temporal = LayerLimits.capped(temporal, preferences.maxTemporalLayer());
        if (spatial != appliedSpatial || temporal != appliedTemporal) {
            boolean spatialUp = appliedSpatial >= 0 && spatial > appliedSpatial;
            appliedSpatial = spatial;
            appliedTemporal = temporal;
            s.limitLayers(spatial, temporal);
            if (spatialUp && isForwarding()) {
                // A higher spatial layer can only be joined at a frame that does not predict from its own layer's
                // past: in the _KEY modes that is a keyframe, so ask for one rather than wait for the next.
                s.requestKeyframe();
            }
        }
    }

    /** The simulcast layer the stream was last placed on. */
    int placedLayer() {
        return placedLayer;
    }

    /** The spatial layer limit given to the stream ({@link LayerLimits#ALL}: none; -1 before any). */
    int appliedSpatial() {
        return appliedSpatial;
    }

    /** The temporal layer limit given to the stream ({@link LayerLimits#ALL}: none; -1 before any). */
    int appliedTemporal() {
        return appliedTemporal;
    }

    /** Stops forwarding (the stream is kept for a later {@link #refresh}). */
    private void detachSink() {
        if (attachedTo != null) {
            stream.pause();
            attachedTo = null;
        }
    }

    /** Ends the stream: nothing more is forwarded; its counters are kept. */
    void detach() {
        detachSink();
        if (stream != null) {
            retiredPackets += stream.packetsSent();
            retiredOctets += stream.octetsSent();
            stream.close(); // its SRTP state on the subscriber's transport retires
            stream = null;
        }
        mid = null;
    }

    /** RTP packets forwarded for this subscription (racy read of loop counters). */
    long packetsSent() {
        OutboundStream s = stream;
        return retiredPackets + (s == null ? 0 : s.packetsSent());
    }

    long octetsSent() {
        OutboundStream s = stream;
        return retiredOctets + (s == null ? 0 : s.octetsSent());
    }

    /**
     * Why the subscriber gets nothing of the track now, or null when it gets it: its own pause, the publisher's
     * mute, or its bandwidth (its allocator holds the stream). Room lock held.
     */
    PauseCause pauseCause() {
        if (preferences.paused()) {
            return PauseCause.PREFERENCE;
        }
        if (track.isMuted()) {
            return PauseCause.PUBLISHER_MUTED;
        }
        OutboundStream s = stream;
        return s != null && s.isPausedForBandwidth() ? PauseCause.BANDWIDTH : null;
    }

    /**
     * The state to tell the subscriber when it differs from what it was last told, else null; the returned event
     * counts as told. Room lock held.
     */
    ConferenceEvent.SubscriptionState stateChange() {
        PauseCause now = pauseCause();
        if (told && now == toldPause) {
            return null;
        }
        told = true;
        toldPause = now;
        return new ConferenceEvent.SubscriptionState(track.participantId(), track.id(), now != null, now);
    }

    /** The subscriber's signaling was re-attached and missed what it was told meanwhile: tell the state again. */
    void retell() {
        told = false;
    }

    boolean isForwarding() {
        return attachedTo != null && stream != null && !stream.isPaused();
    }
}
