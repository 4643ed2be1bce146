package org.sluice.core.broadcast;

import io.netty.buffer.ByteBuf;
import org.sluice.core.forward.InboundStream;
import org.sluice.core.forward.KeyframeRequester;
import org.sluice.core.forward.MediaSlot;
import org.sluice.core.net.MediaLoop;
import org.sluice.core.transport.MediaTransport;
import org.sluice.core.transport.TransportHandler;
import org.sluice.rtp.RtpPacket;

import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A WHIP publisher: receives its RTP, learns its streams (by announced SSRC, mid or rid), feeds the
 * room's slots, keeps RFC 3550 statistics for its receiver reports, and turns receivers' keyframe
 * needs into PLIs. Media-path state is confined to the transport's loop.
 */
public final class PublisherSession implements BroadcastSession, TransportHandler, KeyframeRequester.Sink {

    private static final long RTCP_INTERVAL_MS = 1000;

    private final String id;
    private final BroadcastRoom room;
    private final LongSupplier nanoClock;
    private final RtcpLeg rtcp;
    private final long rtcpSsrc = ThreadLocalRandom.current().nextLong(1, 0x100000000L);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final RtpPacket view = new RtpPacket();
    private final Runnable onEnd;
    /** PLIs handed to the loop; already throttled per stream, so far below the packet rate. */
    private final LongAdder keyframeRequestsSent = new LongAdder();

    private volatile MediaTransport transport;
    private final InboundStreams ingress;
    private ScheduledFuture<?> rtcpTimer;
    private final RtcpLeg.SenderReportConsumer senderReports = this::onSenderReport;

    public PublisherSession(String id, BroadcastRoom room, List<MediaSection> sections, List<MediaLoop> loops,
                            LongSupplier nanoClock, RtcpLeg rtcp, Runnable onEnd) {
        this.id = id;
        this.room = room;
        this.nanoClock = nanoClock;
        this.rtcp = rtcp;
        this.onEnd = onEnd;
        this.ingress = new InboundStreams(sections, loops, nanoClock, this, new RoomBinder());
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

    @Override
    public synchronized void onConnected(MediaTransport t) {
        // close() holds the same lock: no timer outlives the session.
        if (!closed.get()) {
            rtcpTimer = t.loop().eventLoop().scheduleAtFixedRate(this::sendReceiverReports,
                    RTCP_INTERVAL_MS, RTCP_INTERVAL_MS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void onRtp(MediaTransport t, ByteBuf packet) {
        if (!view.wrap(packet)) {
            return;
        }
        InboundStream stream = ingress.receive(view);
        if (stream != null) {
            stream.forward(packet, view, t.loop());
        }
    }

    /** Where a learned stream goes: the room's slot of its kind; of a simulcast section only the last rid is forwarded. */
    private final class RoomBinder implements InboundStreams.Binder {

        @Override
        public MediaSlot slotFor(MediaSection section, String rid) {
            return room.slot(section.kind());
        }

        @Override
        public void onLearned(InboundStream stream, MediaSection section, String rid) {
            // Until layer selection lands, every viewer gets one fixed layer: the last rid listed.
            if (section.rids().isEmpty() || section.rids().get(section.rids().size() - 1).equals(rid)) {
                stream.slot().attachSource(stream);
            }
        }
    }

    @Override
    public void onRtcp(MediaTransport t, ByteBuf packet) {
        rtcp.readSenderReports(packet, senderReports);
    }

    private void onSenderReport(long ssrc, long rtpTimestamp, long ntpMiddle32) {
        ingress.onSenderReport(ssrc, rtpTimestamp, ntpMiddle32);
    }

    /** A receiver needs a keyframe of {@code mediaSsrc} (already throttled). Any thread. */
    @Override
    public void requestKeyframe(long mediaSsrc) {
        MediaTransport t = transport;
        if (t == null || t.loop() == null || closed.get()) {
            return;
        }
        keyframeRequestsSent.increment();
        t.loop().eventLoop().execute(() -> rtcp.sendPli(t, rtcpSsrc, mediaSsrc));
    }

    /** PLIs this publisher was sent (one per throttled keyframe request). Any thread. */
    public long keyframeRequestsSent() {
        return keyframeRequestsSent.sum();
    }

    private void sendReceiverReports() {
        MediaTransport t = transport;
        if (t != null) {
            ingress.sendReceiverReport(rtcp, t, rtcpSsrc);
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
        }
        MediaTransport t = transport;
        Runnable detach = () -> {
            for (InboundStream stream : ingress.streams()) {
                // Packets still queued toward other loops drain there and are dropped as stale.
                stream.slot().detachSource(stream);
            }
        };
        if (t != null && t.loop() != null && !t.loop().inLoop()) {
            t.loop().eventLoop().execute(detach);
        } else {
            detach.run();
        }
        room.releasePublisher(this);
        if (t != null) {
            t.close(reason);
        }
        onEnd.run();
    }
}
