package org.sluice.core.conference;

import io.netty.buffer.ByteBuf;
import org.sluice.core.forward.InboundStream;
import org.sluice.core.forward.MediaSlot;
import org.sluice.core.forward.OutboundStream;
import org.sluice.core.net.MediaLoop;
import org.sluice.core.peer.InboundStreams;
import org.sluice.core.peer.LegContext;
import org.sluice.core.peer.MediaSection;
import org.sluice.core.peer.PeerLeg;
import org.sluice.core.datachannel.RoomDataRelay;
import org.sluice.core.datachannel.SctpOverDtls;
import org.sluice.core.transport.TransportFactory;
import org.sluice.core.transport.MediaTransport;
import org.sluice.core.transport.TransportHandler;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.ext.AudioLevelExtension;
import org.sluice.rtp.ext.HeaderExtensions;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The media plane of one participant, on its transport's loop: its {@link PeerLeg} learns the streams it
 * publishes (and repairs and reports them), answers its RTCP and sends its reports; this class feeds its tracks'
 * slots, meters audio levels and forgets unpublished tracks. The control plane hands it immutable snapshots (its
 * tracks by mid, its outbound streams) through volatile fields.
 */
final class ParticipantMedia implements TransportHandler {

    /** What the control plane hears from the transport. */
    interface Events {
        void connected();

        void closed(String reason);
    }

    private final Events events;
    private final RtpPacket view = new RtpPacket();
    private final PeerLeg leg;
    private volatile Map<String, PublishedTrack> tracksByMid = Map.of();
    private final HeaderExtensions extensions = new HeaderExtensions();
    /** Learned streams and their tracks; the transport's loop only. */
    private InboundStream[] learnedStreams = new InboundStream[0];
    private PublishedTrack[] learnedTracks = new PublishedTrack[0];
    private boolean closed;
    private RoomDataRelay relay;
    private volatile String relayRoom;
    private String relayId;

    ParticipantMedia(List<MediaLoop> loops, LegContext context, Events events) {
        this.events = events;
        this.leg = PeerLeg.receiving(context, List.of(), loops, new TrackBinder());
    }

    void bind(MediaTransport t) {
        leg.bind(t);
    }

    /** Whether this participant's transport carries data channels (enabled once, on the first answer that accepts them). */
    boolean dataChannelsEnabled() {
        return relayRoom != null;
    }

    /** Carries data channels on the bound transport; their messages fan out to the room through the relay. */
    synchronized void enableDataChannels(TransportFactory transports, String room, String participantId) {
        if (relayRoom != null || closed) {
            return;
        }
        relay = transports.dataChannels().relay();
        relayRoom = room;
        relayId = participantId;
        SctpOverDtls sctp = transports.enableDataChannels(transport(), relay.member(room, participantId));
        relay.bind(room, participantId, sctp);
    }

    MediaTransport transport() {
        return leg.transport();
    }

    PeerLeg leg() {
        return leg;
    }

    /** The sections it publishes in and their tracks (control plane, after each answer). */
    void publish(List<MediaSection> sections, Map<String, PublishedTrack> tracks) {
        this.tracksByMid = Map.copyOf(tracks);
        leg.ingress().useSections(sections);
        if (sections.stream().anyMatch(MediaSection::rrtr)) {
            leg.askForReceiverRoundTrips(); // it answers our RRTRs with DLRRs: its round trip without our media
        }
    }

    /** The streams it receives now (control plane). */
    void receive(List<OutboundStream> streams) {
        leg.sendTo(streams);
    }

    InboundStreams ingress() {
        return leg.ingress();
    }

    long nacksReceived() {
        return leg.nacksReceived();
    }

    long keyframeRequestsSent() {
        return leg.keyframeRequestsSent();
    }

    long keyframeRequestsReceived() {
        return leg.keyframeRequestsReceived();
    }

    @Override
    public void onConnected(MediaTransport t) {
        synchronized (this) {
            if (closed) {
                return;
            }
            leg.start(t);
        }
        events.connected();
    }

    @Override
    public void onRtp(MediaTransport t, ByteBuf packet) {
        if (!view.wrap(packet)) {
            return;
        }
        InboundStream stream = leg.receive(packet, view);
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
            stream = leg.receive(packet, view);
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
        MediaTransport transport = leg.transport();
        for (long ssrc : leg.ingress().forgetSection(mid)) {
            if (transport != null) {
                transport.retireInboundStream(ssrc);
            }
        }
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
        leg.onRtcp(packet);
    }

    @Override
    public void onClosed(MediaTransport t, String reason) {
        stop();
        events.closed(reason);
    }

    /** Stops the leg's timer and releases its packet caches; idempotent. */
    synchronized void stop() {
        closed = true;
        leg.stop();
        if (relay != null) {
            relay.unbind(relayRoom, relayId);
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
