package org.sluice.core.broadcast;

import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.core.forward.InboundStream;
import org.sluice.core.forward.LayerRates;
import org.sluice.core.forward.MediaKind;
import org.sluice.core.forward.MediaSlot;
import org.sluice.core.forward.OutboundStream;
import org.sluice.core.net.MediaLoop;
import org.sluice.core.peer.InboundStreams;
import org.sluice.core.peer.LegContext;
import org.sluice.core.peer.MediaSection;
import org.sluice.core.peer.PeerLeg;
import org.sluice.core.transport.CongestionController;
import org.sluice.core.transport.MediaTransport;
import org.sluice.core.transport.TransportHandler;
import org.sluice.rtp.RtpPacket;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A WHIP publisher: its {@link PeerLeg} receives its RTP (learning its streams by announced SSRC, mid or rid,
 * repairing loss with NACK/RTX, reporting arrivals with transport-cc); this session feeds the room's slots with
 * what comes out and ends the publication. Media-path state is confined to the transport's loop.
 */
public final class PublisherSession implements BroadcastSession, TransportHandler {

    private final String id;
    private final BroadcastRoom room;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final RtpPacket view = new RtpPacket();
    private final Runnable onEnd;
    private final PeerLeg leg;
    private final LongSupplier nanoClock;
    private final BroadcastLayerCap cap = new BroadcastLayerCap();
    /** The cap decided last, and the layer it stops; written on the publisher's loop, read racily by operators. */
    private volatile long lastCap = BroadcastLayerCap.NONE;
    private volatile int cappedLayer = -1;
    /** When the cap was last lifted, and the layer it had stopped (-1: none yet). */
    private long liftedNanos;
    private int liftedLayer = -1;
    /** How long after a lift the layer stays withheld from viewers' upgrades (its rate window fills meanwhile). */
    private static final long SETTLE_AFTER_LIFT_NANOS = 2_000_000_000L;
    private final LongAdder capCounter;
    /** For a relay from another node (the broadcast's origin): that node's id; null for a WHIP client. */
    private volatile String relayFrom;
    /** A layer whose last packet is older than this is not arriving. */
    private static final long LIVE_NANOS = 1_500_000_000L;
    /** A layer whose last packet is older than this has stopped, for the cap (a few frame intervals). */
    private static final long FLOWING_NANOS = 400_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(PublisherSession.class);

    public PublisherSession(String id, BroadcastRoom room, List<MediaSection> sections, List<MediaLoop> loops,
                            LegContext context, Runnable onEnd) {
        this.id = id;
        this.room = room;
        this.onEnd = onEnd;
        this.leg = PeerLeg.receiving(context, sections, loops, new RoomBinder());
        this.nanoClock = context.nanoClock();
        this.capCounter = context.congestionCounters().publisherLayerCaps;
        leg.capPublisherBitrateFrom(this::layerCap);
    }

    /**
     * The REMB cap on this publisher's send rate from what the room's viewers use ({@link BroadcastLayerCap}); on the
     * publisher's loop, once a second (control-plane rate: it may allocate).
     */
    private long layerCap() {
        if (!leg.ingress().negotiatedRemb()) {
            // A REMB cap cannot reach it (a relay from another node offers none): no cap, and no layer withheld.
            return BroadcastLayerCap.NONE;
        }
        MediaSlot[] slots = room.videoLayers();
        long now = nanoClock.getAsLong();
        long[] rates = new long[slots.length];
        boolean[] flowing = new boolean[slots.length];
        for (int i = 0; i < slots.length; i++) {
            InboundStream source = slots[i].source();
            long age = source == null ? Long.MAX_VALUE : now - source.lastArrivalNanos();
            rates[i] = age < LIVE_NANOS ? highestRate(source.rates()) : -1;
            flowing[i] = age < FLOWING_NANOS;
        }
        List<ViewerSession> viewers = room.viewers();
        int[] allowed = new int[viewers.size()];
        long[] estimates = new long[viewers.size()];
        int n = 0;
        for (ViewerSession viewer : viewers) {
            if (viewer.isRelay()) {
                allowed[n] = Integer.MAX_VALUE; // an edge's viewers may want any layer
                estimates[n] = -1;
                n++;
                continue;
            }
            for (OutboundStream stream : viewer.outbound()) {
                if (stream.slot().kind() == MediaKind.VIDEO && stream.layerSlots().length > 1) {
                    CongestionController congestion = viewer.leg().congestion();
                    allowed[n] = stream.bandwidthLayer();
                    estimates[n] = congestion == null || !congestion.hasFeedback() ? -1 : congestion.targetBitrateBps();
                    n++;
                    break;
                }
            }
        }
        long cap = this.cap.decide(now, new BroadcastLayerCap.LayerSnapshot(rates, flowing),
                Arrays.copyOf(allowed, n), Arrays.copyOf(estimates, n), room.viewerJoins());
        int unwanted = cap == BroadcastLayerCap.NONE ? Integer.MAX_VALUE : this.cap.unwantedLayer();
        if (cap == BroadcastLayerCap.NONE && lastCap != BroadcastLayerCap.NONE) {
            liftedNanos = now;
            liftedLayer = cappedLayer;
        }
        // Just after a lift the layer comes back measured nearly free: no viewer moves up to it until its rate is
        // measured over a whole window.
        int settling = liftedLayer >= 0 && now - liftedNanos < SETTLE_AFTER_LIFT_NANOS ? liftedLayer : Integer.MAX_VALUE;
        cappedLayer = cap == BroadcastLayerCap.NONE ? -1 : unwanted;
        for (int i = 0; i < slots.length; i++) {
            slots[i].withhold(i >= Math.min(unwanted, settling));
        }
        if (cap != lastCap) {
            if (cap == BroadcastLayerCap.NONE) {
                LOG.info("publisher {}: REMB cap lifted", id);
            } else if (lastCap == BroadcastLayerCap.NONE) {
                capCounter.increment();
                LOG.info("publisher {}: no viewer uses layer {}; capping the send rate by REMB from {} kbit/s", id,
                        this.cap.unwantedLayer(), cap / 1000);
            }
            lastCap = cap;
        }
        return cap;
    }

    /** The REMB cap on this publisher because no viewer can use a layer, -1 for none; read racily. */
    public long layerCapBps() {
        long c = lastCap;
        return c == BroadcastLayerCap.NONE ? -1 : c;
    }

    /** The simulcast layer the cap makes this publisher stop, -1 for none; read racily. */
    public int cappedLayer() {
        return lastCap == BroadcastLayerCap.NONE ? -1 : cappedLayer;
    }

    /** A layer's rate at its highest temporal layer (all of it). */
    private static long highestRate(LayerRates rates) {
        long total = 0;
        for (int t = 0; t < LayerRates.LAYERS; t++) {
            total = Math.max(total, rates.bitsPerSecond(0, t));
        }
        return total;
    }

    public void bind(MediaTransport transport) {
        leg.bind(transport);
    }

    /**
     * Makes this publisher a relay from {@code origin} (the cluster member whose room feeds it): a WHIP publisher or
     * a newer relay may take its seat. (It is never REMB capped: a relay negotiates no REMB.) Before it claims the
     * seat.
     */
    public void relayFrom(String origin) {
        this.relayFrom = origin;
    }

    /** The node this relay comes from, null for a WHIP client. */
    public String relayOrigin() {
        return relayFrom;
    }

    public boolean isRelay() {
        return relayFrom != null;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public BroadcastRoom room() {
        return room;
    }

    @Override
    public MediaTransport transport() {
        return leg.transport();
    }

    /** The publisher's media pipeline. */
    public PeerLeg leg() {
        return leg;
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void onConnected(MediaTransport t) {
        leg.start(t);
    }

    @Override
    public void onRtp(MediaTransport t, ByteBuf packet) {
        if (!view.wrap(packet)) {
            return;
        }
        InboundStream stream = leg.receive(packet, view);
        if (stream != null) {
            stream.forward(packet, view, t.loop());
        }
    }

    /**
     * Where a learned stream goes: audio to the room's audio slot, video to the layer slot of its rid (in the
     * offer's a=simulcast order), the first without simulcast.
     */
    private final class RoomBinder implements InboundStreams.Binder {

        @Override
        public MediaSlot slotFor(MediaSection section, String rid) {
            if (section.kind() == MediaKind.AUDIO || rid == null) {
                return room.slot(section.kind());
            }
            int layer = section.rids().indexOf(rid);
            return layer < 0 || layer >= BroadcastRoom.VIDEO_LAYERS ? null : room.videoLayer(layer);
        }

        @Override
        public void onLearned(InboundStream stream, MediaSection section, String rid) {
            stream.useRepairWindow(room::repairWindowNanos); // video only; 0 (the default) forwards as it comes
            stream.slot().attachSource(stream);
        }
    }

    @Override
    public void onRtcp(MediaTransport t, ByteBuf packet) {
        leg.onRtcp(packet);
    }

    /** Keyframe requests (PLI, or FIR where only FIR was negotiated) this publisher was sent. Any thread. */
    public long keyframeRequestsSent() {
        return leg.keyframeRequestsSent();
    }

    @Override
    public void onClosed(MediaTransport t, String reason) {
        close(reason);
    }

    @Override
    public void close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (MediaSlot slot : room.videoLayers()) {
            slot.withhold(false); // the room's next publisher starts uncapped
        }
        MediaTransport t = leg.transport();
        Runnable detach = () -> {
            for (InboundStream stream : leg.ingress().streams()) {
                // Packets still queued toward other loops drain there and are dropped as stale.
                stream.slot().detachSource(stream);
            }
        };
        if (t != null && t.loop() != null && !t.loop().inLoop()) {
            t.loop().eventLoop().execute(detach);
        } else {
            detach.run();
        }
        leg.stop();
        room.releasePublisher(this);
        if (t != null) {
            t.close(reason);
        }
        onEnd.run();
    }
}
