package org.sluice.core.broadcast;

import io.netty.buffer.ByteBuf;
import org.sluice.core.forward.InboundStream;
import org.sluice.core.forward.KeyframeRequester;
import org.sluice.core.forward.MediaSlot;
import org.sluice.core.net.MediaLoop;
import org.sluice.core.transport.MediaTransport;
import org.sluice.core.transport.TransportHandler;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.ext.HeaderExtensions;
import org.sluice.rtp.stats.ReceiverStatistics;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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

    private static final int MAX_STREAMS = 16;
    private static final long RTCP_INTERVAL_MS = 1000;

    private final String id;
    private final BroadcastRoom room;
    private final List<MediaSection> sections;
    private final List<MediaLoop> loops;
    private final LongSupplier nanoClock;
    private final RtcpLeg rtcp;
    private final long rtcpSsrc = ThreadLocalRandom.current().nextLong(1, 0x100000000L);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final RtpPacket view = new RtpPacket();
    private final HeaderExtensions extensions = new HeaderExtensions();
    private final Runnable onEnd;
    /** PLIs handed to the loop; already throttled per stream, so far below the packet rate. */
    private final LongAdder keyframeRequestsSent = new LongAdder();

    private volatile MediaTransport transport;
    private InboundStream[] streams = new InboundStream[0];
    private ReceiverStatistics[] statistics = new ReceiverStatistics[0];
    private long[] ignoredSsrcs = new long[0];
    private ScheduledFuture<?> rtcpTimer;
    private final RtcpLeg.SenderReportConsumer senderReports = this::onSenderReport;

    public PublisherSession(String id, BroadcastRoom room, List<MediaSection> sections, List<MediaLoop> loops,
                            LongSupplier nanoClock, RtcpLeg rtcp, Runnable onEnd) {
        this.id = id;
        this.room = room;
        this.sections = List.copyOf(sections);
        this.loops = loops;
        this.nanoClock = nanoClock;
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
        long ssrc = view.ssrc();
        int index = indexOf(ssrc);
        if (index < 0) {
            index = learn(ssrc);
            if (index < 0) {
                return;
            }
        }
        InboundStream stream = streams[index];
        statistics[index].receive(view.sequenceNumber(), view.timestamp(), nanoClock.getAsLong());
        stream.forward(packet, view, t.loop());
    }

    private int indexOf(long ssrc) {
        InboundStream[] s = streams;
        for (int i = 0; i < s.length; i++) {
            if (s[i].ssrc() == ssrc) {
                return i;
            }
        }
        return -1;
    }

    /** First packet of an SSRC: find its m-section and layer; -1 when it is not forwarded. */
    private int learn(long ssrc) {
        for (long ignored : ignoredSsrcs) {
            if (ignored == ssrc) {
                return -1;
            }
        }
        MediaSection section = sectionOf(ssrc);
        String rid = section == null ? null : readRid(section);
        if (section == null || streams.length >= MAX_STREAMS
                || section.remoteRtxSsrcs().contains(ssrc)
                || (!section.rids().isEmpty() && rid == null)) {
            if (ignoredSsrcs.length < 64) {
                ignoredSsrcs = Arrays.copyOf(ignoredSsrcs, ignoredSsrcs.length + 1);
                ignoredSsrcs[ignoredSsrcs.length - 1] = ssrc;
            }
            return -1;
        }
        MediaSlot slot = room.slot(section.kind());
        InboundStream stream = new InboundStream(ssrc, section.kind(), slot, section.codecs(), section.extensions(),
                section.clockRate(), new KeyframeRequester(ssrc, this, nanoClock, KeyframeRequester.DEFAULT_INTERVAL_NANOS),
                loops);
        streams = Arrays.copyOf(streams, streams.length + 1);
        streams[streams.length - 1] = stream;
        statistics = Arrays.copyOf(statistics, statistics.length + 1);
        statistics[statistics.length - 1] = new ReceiverStatistics(section.clockRate());
        // Until layer selection lands, every viewer gets one fixed layer: the last rid listed.
        boolean forwarded = section.rids().isEmpty() || section.rids().get(section.rids().size() - 1).equals(rid);
        if (forwarded) {
            slot.attachSource(stream);
        }
        return streams.length - 1;
    }

    private MediaSection sectionOf(long ssrc) {
        for (MediaSection section : sections) {
            if (section.remoteSsrcs().contains(ssrc) || section.remoteRtxSsrcs().contains(ssrc)) {
                return section;
            }
        }
        if (view.hasExtension() && extensions.wrap(view)) {
            for (MediaSection section : sections) {
                int h = section.midExtensionId() > 0 ? extensions.find(section.midExtensionId()) : -1;
                if (h >= 0 && section.mid().equals(ascii(h, extensions.lengthAt(h)))) {
                    return section;
                }
            }
        }
        // A single section of the packet's kind needs no mid to be found.
        return sections.size() == 1 ? sections.get(0) : null;
    }

    private String readRid(MediaSection section) {
        if (section.rids().isEmpty()) {
            return null;
        }
        if (section.ridExtensionId() == 0 || !view.hasExtension() || !extensions.wrap(view)) {
            return null;
        }
        int h = extensions.find(section.ridExtensionId());
        return h < 0 ? null : ascii(h, extensions.lengthAt(h));
    }

    private String ascii(int index, int length) {
        return view.buffer().toString(index, length, StandardCharsets.US_ASCII);
    }

    @Override
    public void onRtcp(MediaTransport t, ByteBuf packet) {
        rtcp.readSenderReports(packet, senderReports);
    }

    private void onSenderReport(long ssrc, long rtpTimestamp, long ntpMiddle32) {
        int index = indexOf(ssrc);
        if (index >= 0) {
            streams[index].onSenderReport(rtpTimestamp, ntpMiddle32, nanoClock.getAsLong());
        }
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
        if (t != null && streams.length > 0) {
            rtcp.sendReceiverReport(t, rtcpSsrc, streams, statistics);
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
            for (InboundStream stream : streams) {
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
