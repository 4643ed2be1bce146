package org.sluice.core.conference;

import org.sluice.core.broadcast.MediaSection;
import org.sluice.core.forward.MediaSlot;
import org.sluice.core.forward.OutboundStream;
import org.sluice.core.sdp.negotiation.OutboundTrack;
import org.sluice.core.transport.MediaTransport;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * One subscriber receiving one track: its own SSRC toward the subscriber and, once a receive section carries it,
 * an {@link OutboundStream} built from that section's negotiated codecs and extension ids, attached to the layer
 * slot its preferences choose while the subscriber's transport is connected and the subscription not paused.
 * Control-plane state guarded by the room's lock.
 */
final class Subscription {

    private final PublishedTrack track;
    private final long ssrc = ThreadLocalRandom.current().nextLong(1, 0x100000000L);
    private SubscriptionPreferences preferences = SubscriptionPreferences.DEFAULT;
    private String mid;
    private MediaSection section;
    private OutboundStream stream;
    private MediaSlot attachedTo;
    private long retiredPackets;
    private long retiredOctets;

    Subscription(PublishedTrack track) {
        this.track = track;
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
        return new OutboundTrack(track.kind().sdpName(), track.participantId(), track.id(), ssrc, -1, cname);
    }

    /** A receive section carries this subscription (kept across answers while it stays the same mid). */
    void carryIn(String newMid, MediaSection negotiated, MediaTransport transport, LongSupplier nanoClock) {
        if (stream != null && newMid.equals(mid)) {
            return;
        }
        detach();
        this.mid = newMid;
        this.section = negotiated;
        this.stream = newStream(transport, nanoClock);
    }

    private OutboundStream newStream(MediaTransport transport, LongSupplier nanoClock) {
        MediaSlot slot = track.slot(track.layerFor(preferences));
        return new OutboundStream(transport, ssrc, slot, section.codecs(), section.extensions(), nanoClock);
    }

    /**
     * Changes the preferences; a different layer means a new stream on the other layer's slot (same SSRC). Returns
     * nothing; call {@link #refresh} afterwards.
     */
    void prefer(SubscriptionPreferences next, MediaTransport transport, LongSupplier nanoClock) {
        boolean layerChanged = track.layerFor(next) != track.layerFor(preferences);
        this.preferences = next;
        if (layerChanged && stream != null) {
            detach();
            stream = newStream(transport, nanoClock);
        }
    }

    /** Attaches or detaches the stream so that it is forwarded exactly when it should be. */
    void refresh(MediaTransport transport) {
        boolean wanted = stream != null && !preferences.paused() && transport != null && transport.isConnected()
                && transport.loop() != null;
        if (wanted && attachedTo == null) {
            attachedTo = stream.slot();
            attachedTo.addSink(stream, transport.loop().index());
        } else if (!wanted) {
            detachSink();
        }
    }

    /** Stops forwarding (the stream is kept for a later {@link #refresh}). */
    private void detachSink() {
        if (attachedTo != null) {
            attachedTo.removeSink(stream);
            attachedTo = null;
        }
    }

    /** Ends the stream: nothing more is forwarded; its counters are kept. */
    void detach() {
        detachSink();
        if (stream != null) {
            retiredPackets += stream.packetsSent();
            retiredOctets += stream.octetsSent();
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

    boolean isForwarding() {
        return attachedTo != null;
    }
}
