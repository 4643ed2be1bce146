package org.sluice.core.broadcast;

import org.sluice.core.peer.RtcpLeg;

import io.netty.buffer.ByteBuf;
import org.sluice.core.forward.OutboundStream;
import org.sluice.core.transport.MediaTransport;
import org.sluice.core.transport.TransportHandler;

import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * A WHEP viewer: one outbound stream per slot it asked for, attached to the room's slots once its
 * transport is connected. Sends sender reports and turns its PLI/FIR into keyframe requests toward
 * whoever publishes.
 */
public final class ViewerSession implements BroadcastSession, TransportHandler {

    private static final long RTCP_INTERVAL_MS = 1000;

    private final String id;
    private final BroadcastRoom room;
    private final List<OutboundStream> outbound;
    private final RtcpLeg rtcp;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final LongAdder keyframeRequests = new LongAdder();
    private final Runnable onEnd;
    private volatile MediaTransport transport;
    private boolean attached;
    private ScheduledFuture<?> rtcpTimer;
    private final LongConsumer keyframeRequestHandler = this::onKeyframeRequest;

    public ViewerSession(String id, BroadcastRoom room, List<OutboundStream> outbound, RtcpLeg rtcp,
                         Runnable onEnd) {
        this.id = id;
        this.room = room;
        this.outbound = List.copyOf(outbound);
        this.rtcp = rtcp;
        this.onEnd = onEnd;
    }

    public void bind(MediaTransport transport) {
        this.transport = transport;
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
        return transport;
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    public List<OutboundStream> outbound() {
        return outbound;
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
        return keyframeRequests.sum();
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
            rtcpTimer = t.loop().eventLoop().scheduleAtFixedRate(() -> rtcp.sendSenderReports(t, outbound),
                    RTCP_INTERVAL_MS, RTCP_INTERVAL_MS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void onRtp(MediaTransport t, ByteBuf packet) {
        // A WHEP viewer only receives; anything it sends is ignored.
    }

    @Override
    public void onRtcp(MediaTransport t, ByteBuf packet) {
        rtcp.readKeyframeRequests(packet, keyframeRequestHandler);
    }

    private void onKeyframeRequest(long mediaSsrc) {
        for (OutboundStream stream : outbound) {
            if (stream.ssrc() == mediaSsrc) {
                keyframeRequests.increment();
                stream.requestKeyframe();
            }
        }
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
            if (rtcpTimer != null) {
                rtcpTimer.cancel(false);
            }
            if (attached) {
                for (OutboundStream stream : outbound) {
                    stream.slot().removeSink(stream);
                }
                attached = false;
            }
        }
        room.removeViewer(this);
        MediaTransport t = transport;
        if (t != null) {
            t.close(reason);
        }
        onEnd.run();
    }
}
