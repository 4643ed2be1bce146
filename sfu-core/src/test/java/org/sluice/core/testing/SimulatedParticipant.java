package org.sluice.core.testing;

import org.sluice.core.conference.ConferenceEvent;
import org.sluice.core.conference.ConferenceException;
import org.sluice.core.conference.ConferenceService;
import org.sluice.core.conference.JoinRequest;
import org.sluice.core.conference.Layer;
import org.sluice.core.conference.NegotiationResult;
import org.sluice.core.conference.Participant;
import org.sluice.core.conference.TrackPublication;
import org.sluice.core.conference.TrackSource;
import org.sluice.core.sdp.Direction;
import org.sluice.core.sdp.MediaDescription;
import org.sluice.core.sdp.SsrcAttribute;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A conference participant over a {@link SimulatedPeer}: joins, offers a sendonly audio (mid 0) and video (mid 1)
 * section with {@code a=ssrc} lines plus the receive-only sections the server asked for, takes the answer's mapping
 * of receive mids to tracks and SSRCs, and sends Opus/VP8 on its own SSRCs. Events are queued for the test.
 */
public final class SimulatedParticipant implements AutoCloseable {

    /** A receive section the answer gave a track: where it comes from and the SSRC it arrives on. */
    public record Incoming(String mid, String trackId, String participantId, long ssrc) {
    }

    /** The id our offers give the audio-level header extension. */
    public static final int AUDIO_LEVEL_ID = 1;
    /** The id our offers give the mid header extension. */
    public static final int MID_ID = 4;
    /** The id our offers give the rtp-stream-id header extension. */
    public static final int RID_ID = 10;

    private final SimulatedPeer peer;
    private final Participant participant;
    private final BlockingQueue<ConferenceEvent> events;
    private final boolean publishing;
    private final long audioSsrc = ThreadLocalRandom.current().nextLong(1, 0x100000000L);
    private final long videoSsrc = ThreadLocalRandom.current().nextLong(1, 0x100000000L);
    private final RtpTrack audio;
    private final RtpTrack video;
    private final List<String> receiveKinds = new ArrayList<>();
    private final Map<String, Incoming> incoming = new LinkedHashMap<>();
    private final Map<String, String> publishedTrackIds = new HashMap<>();
    private final List<ConferenceEvent> history = new ArrayList<>();
    private boolean connected;
    private boolean sendAudio = true;
    private List<Layer> simulcast = List.of();
    private final Map<String, RtpTrack> layerTracks = new HashMap<>();
    private boolean sendVideo = true;
    /** Whether it tells the server it applied each answer, as the conference client does. */
    private boolean confirmsAnswers = true;

    private SimulatedParticipant(SimulatedPeer peer, Participant participant, BlockingQueue<ConferenceEvent> events,
                                 boolean publishing) {
        this.peer = peer;
        this.participant = participant;
        this.events = events;
        this.publishing = publishing;
        this.audio = new RtpTrack(peer, 111, audioSsrc);
        this.video = new RtpTrack(peer, 96, videoSsrc);
    }

    /** Joins {@code room} (auto-subscribe, may publish and subscribe); no offer yet. */
    public static SimulatedParticipant join(ConferenceService service, String room, String name)
            throws IOException, ConferenceException {
        return join(service, new JoinRequest(room, name, null, true, true, true), true);
    }

    /** Joins with {@code request}; {@code publishing}: its offers send audio and video. */
    public static SimulatedParticipant join(ConferenceService service, JoinRequest request, boolean publishing)
            throws IOException, ConferenceException {
        SimulatedPeer peer = SimulatedPeer.open(request.name());
        BlockingQueue<ConferenceEvent> events = new LinkedBlockingQueue<>();
        try {
            Participant p = service.join(request, events::add);
            return new SimulatedParticipant(peer, p, events, publishing);
        } catch (ConferenceException | RuntimeException e) {
            peer.close();
            throw e;
        }
    }

    public Participant participant() {
        return participant;
    }

    public SimulatedPeer peer() {
        return peer;
    }

    public String id() {
        return participant.id();
    }

    /**
     * Makes the video section simulcast with these layers (lowest first): {@code a=rid}/{@code a=simulcast}, one SSRC
     * per rid (not announced), packets carrying the mid and rid header extensions.
     */
    public void simulcast(List<Layer> layers) {
        this.simulcast = List.copyOf(layers);
        for (Layer layer : layers) {
            layerTracks.put(layer.rid(), new RtpTrack(peer, 96, ThreadLocalRandom.current().nextLong(1, 0x100000000L)));
        }
    }

    /** Sends a one-packet VP8 key frame of simulcast layer {@code rid} whose filler is {@code marker}. */
    public RtpTrack.Sent sendLayerKeyFrame(String rid, byte marker) {
        return layerTracks.get(rid).send(Payloads.vp8KeyFrame(100, marker), true, SimulatedPublisher.VIDEO_STEP,
                new int[] {MID_ID, RID_ID}, new byte[][] {"1".getBytes(StandardCharsets.US_ASCII),
                        rid.getBytes(StandardCharsets.US_ASCII)});
    }

    /** Whether the next offer still sends audio / video (false: the section goes inactive). */
    public void sending(boolean audioOn, boolean videoOn) {
        this.sendAudio = audioOn;
        this.sendVideo = videoOn;
    }

    /** The track id the server gave our audio / video section ({@code "0"} / {@code "1"}), or null. */
    public String publishedTrack(String mid) {
        return publishedTrackIds.get(mid);
    }

    /** Receive sections carrying a track, by mid. */
    public Map<String, Incoming> incoming() {
        return Map.copyOf(incoming);
    }

    /** The SSRC on which the track {@code trackId} arrives, or -1. */
    public long ssrcOf(String trackId) {
        for (Incoming in : incoming.values()) {
            if (in.trackId().equals(trackId)) {
                return in.ssrc();
            }
        }
        return -1;
    }

    /**
     * Stops telling the server it applied answers (a client that does not send {@code answered}): the server
     * then holds what an answer maps until its fallback timer.
     */
    public void withoutAnswerConfirmation() {
        this.confirmsAnswers = false;
    }

    /** Adds receive sections until the next offer has at least {@code audio} and {@code video} of them. */
    public void ensureReceiveSections(int audioCount, int videoCount) {
        while (count("audio") < audioCount) {
            receiveKinds.add("audio");
        }
        while (count("video") < videoCount) {
            receiveKinds.add("video");
        }
    }

    private int count(String kind) {
        return (int) receiveKinds.stream().filter(kind::equals).count();
    }

    /** Offers, takes the answer and (the first time) connects. */
    public NegotiationResult negotiate(Duration timeout) throws ConferenceException, TimeoutException,
            InterruptedException {
        List<TrackPublication> publications = new ArrayList<>();
        if (publishing && sendAudio) {
            publications.add(new TrackPublication("0", TrackSource.MICROPHONE, false, List.of()));
        }
        if (publishing && sendVideo) {
            publications.add(new TrackPublication("1", TrackSource.CAMERA, false, simulcast));
        }
        NegotiationResult result = participant.offer(offerSdp(), publications);
        publishedTrackIds.clear();
        for (NegotiationResult.Published p : result.published()) {
            publishedTrackIds.put(p.mid(), p.trackId());
        }
        PeerAnswer answer = peer.accept(result.answerSdp());
        incoming.clear();
        for (NegotiationResult.Receiving r : result.receiving()) {
            MediaDescription m = answer.sdp().media().stream().filter(d -> r.mid().equals(d.mid())).findFirst()
                    .orElseThrow();
            if (m.direction() != Direction.SENDONLY || m.ssrcs().isEmpty()) {
                throw new IllegalStateException("mid " + r.mid() + " carries a track but is answered " + m.direction());
            }
            SsrcAttribute ssrc = m.ssrcs().get(0);
            incoming.put(r.mid(), new Incoming(r.mid(), r.trackId(), r.participantId(), ssrc.ssrc()));
        }
        if (confirmsAnswers) {
            participant.answerApplied(); // as the conference client does once setRemoteDescription resolved
        }
        if (!connected) {
            peer.connect(timeout);
            connected = true;
        }
        return result;
    }

    /**
     * Answers every {@link ConferenceEvent.RenegotiationNeeded} received so far (one offer for all of them); other
     * events stay for {@link #awaitEvent}. True if it offered.
     */
    public boolean renegotiateIfAsked(Duration timeout) throws ConferenceException, TimeoutException,
            InterruptedException {
        events.drainTo(history);
        boolean asked = false;
        for (java.util.Iterator<ConferenceEvent> it = history.iterator(); it.hasNext();) {
            if (it.next() instanceof ConferenceEvent.RenegotiationNeeded r) {
                ensureReceiveSections(r.audio(), r.video());
                asked = true;
                it.remove();
            }
        }
        if (asked) {
            negotiate(timeout);
        }
        return asked;
    }

    /** The first event of {@code type} matching {@code filter} (others are kept), or null after {@code timeout}. */
    public <T extends ConferenceEvent> T awaitEvent(Class<T> type, Predicate<T> filter, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            events.drainTo(history);
            for (java.util.Iterator<ConferenceEvent> it = history.iterator(); it.hasNext();) {
                ConferenceEvent seen = it.next();
                if (type.isInstance(seen) && filter.test(type.cast(seen))) {
                    it.remove();
                    return type.cast(seen);
                }
            }
            long left = deadline - System.nanoTime();
            ConferenceEvent e = left <= 0 ? null : events.poll(Math.min(left, 20_000_000L), TimeUnit.NANOSECONDS);
            if (e != null) {
                history.add(e);
            } else if (left <= 0) {
                return null;
            }
        }
    }

    /** Events queued and not yet taken. */
    public List<ConferenceEvent> drainEvents() {
        List<ConferenceEvent> out = new ArrayList<>(history);
        history.clear();
        events.drainTo(out);
        return out;
    }

    public long audioSsrc() {
        return audioSsrc;
    }

    public long videoSsrc() {
        return videoSsrc;
    }

    /** Sends one Opus packet whose filler is {@code marker}. */
    public RtpTrack.Sent sendAudio(byte marker) {
        return audio.send(Payloads.opus(40, marker), false, SimulatedPublisher.AUDIO_STEP);
    }

    /** Sends one Opus packet carrying an RFC 6464 audio level ({@code level} 0..127, -dBov; voice activity set). */
    public RtpTrack.Sent sendAudio(byte marker, int level) {
        return audio.send(Payloads.opus(40, marker), false, SimulatedPublisher.AUDIO_STEP, AUDIO_LEVEL_ID,
                new byte[] {(byte) (0x80 | level)});
    }

    /** Sends a one-packet VP8 key frame whose filler is {@code marker}. */
    public RtpTrack.Sent sendKeyFrame(byte marker) {
        return video.send(Payloads.vp8KeyFrame(100, marker), true, SimulatedPublisher.VIDEO_STEP);
    }

    /** Sends a one-packet VP8 inter frame whose filler is {@code marker}. */
    public RtpTrack.Sent sendDeltaFrame(byte marker) {
        return video.send(Payloads.vp8DeltaFrame(100, marker), true, SimulatedPublisher.VIDEO_STEP);
    }

    /** The offer text: sendonly audio and video (if publishing), then the receive-only sections. */
    public String offerSdp() {
        String ufrag = peer.ufrag();
        String stream = "stream-" + ufrag;
        String cname = "cname-" + ufrag;
        List<String> mids = new ArrayList<>();
        StringBuilder media = new StringBuilder(4096);
        if (publishing) {
            section(media, "audio", "0", sendAudio ? "sendonly" : "inactive", sendAudio ? audioSsrc : 0, stream, cname);
            section(media, "video", "1", sendVideo ? "sendonly" : "inactive",
                    sendVideo && simulcast.isEmpty() ? videoSsrc : 0, stream, cname);
            if (!simulcast.isEmpty()) {
                List<String> rids = new ArrayList<>();
                for (Layer layer : simulcast) {
                    line(media, "a=rid:" + layer.rid() + " send");
                    rids.add(layer.rid());
                }
                line(media, "a=simulcast:send " + String.join(";", rids));
            }
            mids.add("0");
            mids.add("1");
        }
        for (int i = 0; i < receiveKinds.size(); i++) {
            String mid = String.valueOf(i + 2);
            section(media, receiveKinds.get(i), mid, "recvonly", 0, stream, cname);
            mids.add(mid);
        }
        StringBuilder out = new StringBuilder(6000);
        line(out, "v=0");
        line(out, "o=- 4611731400430051336 2 IN IP4 127.0.0.1");
        line(out, "s=-");
        line(out, "t=0 0");
        line(out, "a=group:BUNDLE " + String.join(" ", mids));
        line(out, "a=extmap-allow-mixed");
        line(out, "a=msid-semantic: WMS " + stream);
        return out.append(media).toString();
    }

    private void section(StringBuilder out, String kind, String mid, String direction, long ssrc, String stream,
                         String cname) {
        boolean audioKind = kind.equals("audio");
        int pt = audioKind ? 111 : 96;
        String address = peer.localAddress().getAddress().getHostAddress();
        int port = peer.localAddress().getPort();
        line(out, "m=" + kind + " " + port + " UDP/TLS/RTP/SAVPF " + pt);
        line(out, "c=IN IP4 " + address);
        line(out, "a=rtcp:9 IN IP4 0.0.0.0");
        line(out, "a=candidate:1 1 udp 2122260223 " + address + " " + port + " typ host generation 0");
        line(out, "a=ice-ufrag:" + peer.ufrag());
        line(out, "a=ice-pwd:" + peer.password());
        line(out, "a=ice-options:trickle");
        line(out, "a=fingerprint:" + peer.certificate().sdpFingerprint());
        line(out, "a=setup:actpass");
        line(out, "a=mid:" + mid);
        line(out, "a=extmap:" + MID_ID + " urn:ietf:params:rtp-hdrext:sdes:mid");
        if (!audioKind) {
            line(out, "a=extmap:" + RID_ID + " urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id");
        }
        if (audioKind) {
            line(out, "a=extmap:" + AUDIO_LEVEL_ID + " urn:ietf:params:rtp-hdrext:ssrc-audio-level");
        }
        line(out, "a=" + direction);
        if (ssrc != 0) {
            line(out, "a=msid:" + stream + " " + kind + "-track");
        }
        line(out, "a=rtcp-mux");
        line(out, "a=rtcp-rsize");
        line(out, "a=rtpmap:" + pt + " " + (audioKind ? "opus/48000/2" : "VP8/90000"));
        if (audioKind) {
            line(out, "a=fmtp:111 minptime=10;useinbandfec=1");
        } else {
            line(out, "a=rtcp-fb:96 ccm fir");
            line(out, "a=rtcp-fb:96 nack");
            line(out, "a=rtcp-fb:96 nack pli");
        }
        if (ssrc != 0) {
            line(out, "a=ssrc:" + ssrc + " cname:" + cname);
            line(out, "a=ssrc:" + ssrc + " msid:" + stream + " " + kind + "-track");
        }
    }

    private static void line(StringBuilder out, String text) {
        out.append(text).append("\r\n");
    }

    /** Leaves the room and closes the peer. */
    @Override
    public void close() {
        try {
            participant.leave();
        } finally {
            peer.close();
        }
    }
}
