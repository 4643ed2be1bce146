package org.sluice.core.broadcast;

import io.netty.buffer.ByteBuf;
import org.sluice.core.forward.OutboundStream;
import org.sluice.core.peer.PeerLeg;
import org.sluice.core.transport.MediaTransport;
import org.sluice.core.transport.TransportHandler;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A WHEP viewer: one outbound stream per slot it asked for, attached to the room's slots once its
 * transport is connected. Its {@link PeerLeg} sends sender reports, answers its NACKs from the packet
 * cache and turns its PLI/FIR into keyframe requests toward whoever publishes.
 */
public final class ViewerSession implements BroadcastSession, TransportHandler {

    private final String id;
    private final BroadcastRoom room;
    private final List<OutboundStream> outbound;
    private final PeerLeg leg;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Runnable onEnd;
    /** For a relay to another node: who it feeds (a cluster member id); null for a WHEP viewer. */
    private final String relayTo;
    private boolean attached;

    public ViewerSession(String id, BroadcastRoom room, List<OutboundStream> outbound, PeerLeg leg,
                         Runnable onEnd) {
        this(id, room, outbound, leg, onEnd, null);
    }

    /**
     * A viewer, or with {@code relayTo} a relay of the room to that node (an edge): its streams carry every layer
     * slot at once, none moved by an allocator.
     */
    public ViewerSession(String id, BroadcastRoom room, List<OutboundStream> outbound, PeerLeg leg,
                         Runnable onEnd, String relayTo) {
        this.relayTo = relayTo;
        this.id = id;
        this.room = room;
        this.outbound = List.copyOf(outbound);
        this.leg = leg;
        this.onEnd = onEnd;
        leg.sendTo(this.outbound);
    }

    public void bind(MediaTransport transport) {
        leg.bind(transport);
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

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    /** Whether this session relays the room to another node rather than serving a viewer. */
    public boolean isRelay() {
        return relayTo != null;
    }

    /** The node this relay feeds, null for a viewer. */
    public String relayTo() {
        return relayTo;
    }

    public List<OutboundStream> outbound() {
        return outbound;
    }

    /** The viewer's media pipeline. */
    public PeerLeg leg() {
        return leg;
    }

    /**
     * RTP packets forwarded to this viewer: the sum of its streams' plain loop-confined counters, read
     * racily from any thread (a scrape may miss the packets of the last microseconds, never more).
     */
    public long packetsSent() {
        long sum = 0;
        for (OutboundStream stream : outbound) {
            sum += stream.packetsSent();
        }
        return sum;
    }

    /** RTP payload octets forwarded to this viewer; read like {@link #packetsSent()}. */
    public long octetsSent() {
        long sum = 0;
        for (OutboundStream stream : outbound) {
            sum += stream.octetsSent();
        }
        return sum;
    }

    public long keyframeRequests() {
        return leg.keyframeRequestsReceived();
    }

    @Override
    public void onConnected(MediaTransport t) {
        synchronized (this) {
            // close() holds the same lock, so receivers are never attached to a closed session.
            if (closed.get()) {
                return;
            }
            int loop = t.loop().index();
            for (OutboundStream stream : outbound) {
                stream.slot().addSink(stream, loop);
            }
            attached = true;
            leg.start(t);
        }
    }

    @Override
    public void onRtp(MediaTransport t, ByteBuf packet) {
        // A WHEP viewer only receives; anything it sends is ignored.
    }

    @Override
    public void onRtcp(MediaTransport t, ByteBuf packet) {
        leg.onRtcp(packet);
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
        synchronized (this) {
            leg.stop();
            if (attached) {
                for (OutboundStream stream : outbound) {
                    stream.slot().removeSink(stream);
                }
                attached = false;
            }
        }
        room.removeViewer(this);
        MediaTransport t = leg.transport();
        if (t != null) {
            t.close(reason);
        }
        onEnd.run();
    }
}
