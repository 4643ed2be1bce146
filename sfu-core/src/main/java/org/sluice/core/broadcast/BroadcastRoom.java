package org.sluice.core.broadcast;

import org.sluice.core.forward.MediaKind;
import org.sluice.core.forward.MediaSlot;
import org.sluice.core.forward.OutboundStream;
import org.sluice.core.forward.OutboundStreamStats;
import org.sluice.core.peer.PeerLeg;
import org.sluice.core.session.BroadcastStats;
import org.sluice.core.transport.CongestionController;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A WHIP/WHEP room: one publisher at a time, any number of viewers. Its audio slot and video layer slots (one per
 * simulcast encoding) outlive publishers, so viewers keep their tracks when the publisher leaves and comes back;
 * each viewer's allocator moves it between the layers that arrive as its bandwidth allows.
 */
public final class BroadcastRoom {

    private final String name;
    /** Simulcast encodings a publisher may send, each its own slot; a publisher without simulcast feeds the first. */
    public static final int VIDEO_LAYERS = 4;

    private final MediaSlot audio;
    private final MediaSlot[] videoLayers = new MediaSlot[VIDEO_LAYERS];
    private final Set<ViewerSession> viewers = ConcurrentHashMap.newKeySet();
    private PublisherSession publisher;

    public BroadcastRoom(String name, int loops) {
        this.name = name;
        this.audio = new MediaSlot(MediaKind.AUDIO, loops);
        for (int i = 0; i < VIDEO_LAYERS; i++) {
            videoLayers[i] = new MediaSlot(MediaKind.VIDEO, loops);
        }
    }

    public String name() {
        return name;
    }

    /** The audio slot, or the first video layer's. */
    public MediaSlot slot(MediaKind kind) {
        return kind == MediaKind.AUDIO ? audio : videoLayers[0];
    }

    /** The video slot of simulcast encoding {@code index} (in the publisher's a=simulcast order), 0 without simulcast. */
    public MediaSlot videoLayer(int index) {
        return videoLayers[Math.max(0, Math.min(VIDEO_LAYERS - 1, index))];
    }

    /** Every video layer slot, lowest first (a copy). */
    public MediaSlot[] videoLayers() {
        return videoLayers.clone();
    }

    /** Takes the publisher seat; false if someone holds it. */
    public synchronized boolean claimPublisher(PublisherSession session) {
        if (publisher != null && !publisher.isClosed()) {
            return false;
        }
        publisher = session;
        return true;
    }

    public synchronized void releasePublisher(PublisherSession session) {
        if (publisher == session) {
            publisher = null;
        }
    }

    public synchronized PublisherSession publisher() {
        return publisher;
    }

    public void addViewer(ViewerSession viewer) {
        viewers.add(viewer);
    }

    public void removeViewer(ViewerSession viewer) {
        viewers.remove(viewer);
    }

    /** The viewers now (a copy). */
    public List<ViewerSession> viewers() {
        return List.copyOf(viewers);
    }

    public int viewerCount() {
        return viewers.size();
    }

    /** The room's publisher and viewers now, for operators (read racily from their loops' counters). */
    public BroadcastStats stats() {
        PublisherSession current = publisher();
        BroadcastStats.Publisher sending = null;
        if (current != null && !current.isClosed() && current.leg().ingress() != null) {
            sending = new BroadcastStats.Publisher(current.id(), current.leg().ingress().stats());
        }
        List<BroadcastStats.Viewer> watching = new ArrayList<>();
        for (ViewerSession viewer : viewers) {
            if (viewer.isClosed()) {
                continue;
            }
            PeerLeg leg = viewer.leg();
            CongestionController congestion = leg.congestion();
            List<OutboundStreamStats> streams = new ArrayList<>();
            for (OutboundStream stream : viewer.outbound()) {
                streams.add(OutboundStreamStats.of(stream));
            }
            long rtt = leg.roundTripNanos();
            watching.add(new BroadcastStats.Viewer(viewer.id(),
                    congestion == null || !congestion.hasFeedback() ? 0 : congestion.targetBitrateBps(),
                    leg.allocatedBps(), rtt <= 0 ? -1 : rtt / 1e6, streams));
        }
        watching.sort(Comparator.comparing(BroadcastStats.Viewer::sessionId));
        return new BroadcastStats(name, sending, watching);
    }

    public synchronized boolean isEmpty() {
        return (publisher == null || publisher.isClosed()) && viewers.isEmpty();
    }
}
