package org.sluice.core.conference;

import io.netty.buffer.ByteBuf;
import org.sluice.core.peer.InboundStreams;
import org.sluice.core.peer.MediaSection;
import org.sluice.core.peer.RtcpLeg;
import org.sluice.core.forward.InboundStream;
import org.sluice.core.forward.KeyframeRequester;
import org.sluice.core.forward.MediaSlot;
import org.sluice.core.forward.OutboundStream;
import org.sluice.core.net.MediaLoop;
import org.sluice.core.transport.MediaTransport;
import org.sluice.core.transport.TransportHandler;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.ext.AudioLevelExtension;
import org.sluice.rtp.ext.HeaderExtensions;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * The media plane of one participant, on its transport's loop: learns the streams it publishes and feeds its
 * tracks' slots, answers with receiver reports and PLIs, sends sender reports for what it receives and turns its
 * PLI/FIR into keyframe requests of the matching outbound stream. The control plane hands it immutable snapshots
 * (its tracks by mid, its outbound streams) through volatile fields.
 */
final class ParticipantMedia implements TransportHandler, KeyframeRequester.Sink {

    /** What the control plane hears from the transport. */
    interface Events {
        void connected();

        void closed(String reason);
    }

    private static final long RTCP_INTERVAL_MS = 1000;

    private final RtcpLeg rtcp;
    private final Events events;
    private final long rtcpSsrc = ThreadLocalRandom.current().nextLong(1, 0x100000000L);
    private final RtpPacket view = new RtpPacket();
    private final InboundStreams ingress;
    private final LongAdder keyframeRequestsSent = new LongAdder();
    private final LongAdder keyframeRequestsReceived = new LongAdder();
    private final LongAdder nacksReceived = new LongAdder();
    private final RtcpLeg.SenderReportConsumer senderReports;
    private final LongConsumer keyframeRequests = this::onKeyframeRequest;
    private volatile MediaTransport transport;
    private volatile Map<String, PublishedTrack> tracksByMid = Map.of();
    private volatile List<OutboundStream> outbound = List.of();
    private final HeaderExtensions extensions = new HeaderExtensions();
    /** Learned streams and their tracks; the transport's loop only. */
    private InboundStream[] learnedStreams = new InboundStream[0];
    private PublishedTrack[] learnedTracks = new PublishedTrack[0];
    private ScheduledFuture<?> rtcpTimer;
    private boolean closed;

    ParticipantMedia(List<MediaLoop> loops, LongSupplier nanoClock, RtcpLeg rtcp, Events events) {
        this.rtcp = rtcp;
        this.events = events;
        this.ingress = new InboundStreams(List.of(), loops, nanoClock, this, new TrackBinder());
        this.senderReports = ingress::onSenderReport;
    }

    void bind(MediaTransport t) {
        this.transport = t;
    }

    MediaTransport transport() {
        return transport;
    }

    /** The sections it publishes in and their tracks (control plane, after each answer). */
    void publish(List<MediaSection> sections, Map<String, PublishedTrack> tracks) {
        this.tracksByMid = Map.copyOf(tracks);
        ingress.useSections(sections);
    }

    /** The streams it receives now (control plane). */
    void receive(List<OutboundStream> streams) {
        this.outbound = List.copyOf(streams);
    }

    InboundStreams ingress() {
        return ingress;
    }

    long nacksReceived() {
        return nacksReceived.sum();
    }

    long keyframeRequestsSent() {
        return keyframeRequestsSent.sum();
    }

    long keyframeRequestsReceived() {
        return keyframeRequestsReceived.sum();
    }

    @Override
    public void onConnected(MediaTransport t) {
        synchronized (this) {
            if (closed) {
                return;
            }
            rtcpTimer = t.loop().eventLoop().scheduleAtFixedRate(this::sendReports, RTCP_INTERVAL_MS,
                    RTCP_INTERVAL_MS, TimeUnit.MILLISECONDS);
        }
        events.connected();
    }

    @Override
    public void onRtp(MediaTransport t, ByteBuf packet) {
        if (!view.wrap(packet)) {
            return;
        }
        InboundStream stream = ingress.receive(view);
        if (stream == null) {
            return;
        }
        int index = learnedIndex(stream);
        if (index < 0) {
            return;
        }
        PublishedTrack track = learnedTracks[index];
        if (track.isClosed()) {
            // Its track was unpublished: the SSRC is learned afresh (for a new track of the section, if any).
            forget(track.mid());
            stream = ingress.receive(view);
            index = stream == null ? -1 : learnedIndex(stream);
            if (index < 0) {
                return;
            }
            track = learnedTracks[index];
        }
        if (track.meter() != null) {
            meter(track, stream.lastArrivalNanos());
        }
        stream.forward(packet, view, t.loop());
    }

    private int learnedIndex(InboundStream stream) {
        InboundStream[] streams = learnedStreams;
        for (int i = 0; i < streams.length; i++) {
            if (streams[i] == stream) {
                return i;
            }
        }
        return -1;
    }

    private void forget(String mid) {
        ingress.forgetSection(mid);
        int keep = 0;
        for (PublishedTrack t : learnedTracks) {
            if (!t.mid().equals(mid)) {
                keep++;
            }
        }
        InboundStream[] streams = new InboundStream[keep];
        PublishedTrack[] tracks = new PublishedTrack[keep];
        int j = 0;
        for (int i = 0; i < learnedTracks.length; i++) {
            if (!learnedTracks[i].mid().equals(mid)) {
                streams[j] = learnedStreams[i];
                tracks[j] = learnedTracks[i];
                j++;
            }
        }
        learnedStreams = streams;
        learnedTracks = tracks;
    }

    /** Records the packet's RFC 6464 audio level into its track's meter, at the arrival the ingress stamped. */
    private void meter(PublishedTrack track, long arrivalNanos) {
        if (view.hasExtension() && extensions.wrap(view)) {
            int level = AudioLevelExtension.level(extensions, track.audioLevelId());
            if (level >= 0) {
                track.meter().record(level, arrivalNanos);
            }
        }
    }

    @Override
    public void onRtcp(MediaTransport t, ByteBuf packet) {
        rtcp.readSenderReports(packet, senderReports);
        rtcp.readKeyframeRequests(packet, keyframeRequests);
        int nacks = rtcp.countNacks(packet);
        if (nacks > 0) {
            nacksReceived.add(nacks);
        }
    }

    private void onKeyframeRequest(long mediaSsrc) {
        for (OutboundStream stream : outbound) {
            if (stream.ssrc() == mediaSsrc) {
                keyframeRequestsReceived.increment();
                stream.requestKeyframe();
            }
        }
    }

    /** A subscriber needs a keyframe of {@code mediaSsrc} (already throttled): a PLI to this publisher. Any thread. */
    @Override
    public void requestKeyframe(long mediaSsrc) {
        MediaTransport t = transport;
        if (t == null || t.loop() == null || t.isClosed()) {
            return;
        }
        keyframeRequestsSent.increment();
        t.loop().eventLoop().execute(() -> rtcp.sendPli(t, rtcpSsrc, mediaSsrc));
    }

    private void sendReports() {
        MediaTransport t = transport;
        if (t == null || !t.isConnected()) {
            return;
        }
        ingress.sendReceiverReport(rtcp, t, rtcpSsrc);
        rtcp.sendSenderReports(t, outbound);
    }

    @Override
    public void onClosed(MediaTransport t, String reason) {
        stop();
        events.closed(reason);
    }

    /** Stops the RTCP timer; idempotent. */
    synchronized void stop() {
        closed = true;
        if (rtcpTimer != null) {
            rtcpTimer.cancel(false);
        }
    }

    /** Binds learned streams to the track of their section, by layer. */
    private final class TrackBinder implements InboundStreams.Binder {

        @Override
        public MediaSlot slotFor(MediaSection section, String rid) {
            PublishedTrack track = tracksByMid.get(section.mid());
            int layer = track == null || track.isClosed() ? -1 : track.layerIndex(rid);
            return layer < 0 ? null : track.slot(layer);
        }

        @Override
        public boolean ignoreForGood(MediaSection section) {
            // A section whose track was just unpublished may be published again by the next offer.
            PublishedTrack track = tracksByMid.get(section.mid());
            return track == null || !track.isClosed();
        }

        @Override
        public void onLearned(InboundStream stream, MediaSection section, String rid) {
            PublishedTrack track = tracksByMid.get(section.mid());
            if (track != null) {
                track.onStreamLearned(stream, Math.max(0, track.layerIndex(rid)));
                learnedStreams = Arrays.copyOf(learnedStreams, learnedStreams.length + 1);
                learnedStreams[learnedStreams.length - 1] = stream;
                learnedTracks = Arrays.copyOf(learnedTracks, learnedTracks.length + 1);
                learnedTracks[learnedTracks.length - 1] = track;
            }
        }
    }
}
