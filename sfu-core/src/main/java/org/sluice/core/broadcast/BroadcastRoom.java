package org.sluice.core.broadcast;


import org.sluice.core.forward.MediaKind;
import org.sluice.core.forward.MediaSlot;
import org.sluice.core.forward.OutboundStream;
import org.sluice.core.forward.OutboundStreamStats;
import org.sluice.core.peer.PeerLeg;
import org.sluice.core.session.BroadcastStats;
import org.sluice.core.transport.CongestionController;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A WHIP/WHEP room: one publisher at a time, any number of viewers. Its audio slot and video layer slots (one per
 * simulcast encoding) outlive publishers, so viewers keep their tracks when the publisher leaves and comes back;
 * each viewer's allocator moves it between the layers that arrive as its bandwidth allows.
 */
public final class BroadcastRoom {

    private final String name;
    /** Simulcast encodings a publisher may send, each its own slot; a publisher without simulcast feeds the first. */
    public static final int VIDEO_LAYERS = 4;
    /** The longest repair window a broadcast room may have. */
    public static final Duration MAX_REPAIR_WINDOW = Duration.ofMillis(300);

    private final MediaSlot audio;
    private final MediaSlot[] videoLayers = new MediaSlot[VIDEO_LAYERS];
    private final Set<ViewerSession> viewers = ConcurrentHashMap.newKeySet();
    private final LongAdder viewerJoins = new LongAdder();
    private PublisherSession publisher;
    /** How long the publisher's video is held behind a hole for its retransmission, in nanoseconds; 0: none. */
    private volatile long repairWindowNanos;

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

    /**
     * Holds the publisher's video behind a hole in its sequence numbers for up to {@code window} so that its
     * retransmission can fill the hole before viewers get what follows: they then receive the stream in order and
     * repaired, {@code window} later at most while a hole is open. {@link Duration#ZERO} (the default) forwards
     * everything as it comes. Applies at once, to the current publisher too. Any thread.
     *
     * @throws IllegalArgumentException unless {@code window} is from 0 to {@link #MAX_REPAIR_WINDOW}
     */
    public void repairWindow(Duration window) {
        this.repairWindowNanos = checkRepairWindow(window).toNanos();
    }

    /**
     * Returns {@code window}.
     *
     * @throws IllegalArgumentException unless {@code window} is from 0 to {@link #MAX_REPAIR_WINDOW}
     */
    public static Duration checkRepairWindow(Duration window) {
        java.util.Objects.requireNonNull(window, "repair window");
        if (window.isNegative() || window.compareTo(MAX_REPAIR_WINDOW) > 0) {
            throw new IllegalArgumentException("a repair window is from 0 to " + MAX_REPAIR_WINDOW.toMillis()
                    + " ms, not " + window.toMillis() + " ms");
        }
        return window;
    }

    /** See {@link #repairWindow(Duration)}; in nanoseconds. Any thread. */
    public long repairWindowNanos() {
        return repairWindowNanos;
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

    /**
     * Takes the publisher seat from a relay: a WHIP publisher or a relay from the room's (new) origin displaces a
     * relay in the seat, which is returned for the caller to close; a WHIP publisher in the seat keeps it.
     *
     * @return the relay displaced, {@code session} itself when the seat was free, null when refused
     */
    public synchronized PublisherSession claimPublisherOverRelay(PublisherSession session) {
        PublisherSession current = publisher;
        if (current != null && !current.isClosed() && !current.isRelay()) {
            return null;
        }
        publisher = session;
        return current != null && !current.isClosed() ? current : session;
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
        if (viewers.add(viewer)) {
            viewerJoins.increment();
        }
    }

    /** Viewers that ever joined the room. Any thread. */
    public long viewerJoins() {
        return viewerJoins.sum();
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
            sending = new BroadcastStats.Publisher(current.id(), current.leg().ingress().stats(),
                    current.layerCapBps(), current.cappedLayer(), current.relayOrigin());
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
                    leg.allocatedBps(), rtt <= 0 ? -1 : rtt / 1e6, streams, viewer.relayTo()));
        }
        watching.sort(Comparator.comparing(BroadcastStats.Viewer::sessionId));
        return new BroadcastStats(name, sending, watching, repairWindowNanos / 1_000_000);
    }

    public synchronized boolean isEmpty() {
        return (publisher == null || publisher.isClosed()) && viewers.isEmpty();
    }
}
