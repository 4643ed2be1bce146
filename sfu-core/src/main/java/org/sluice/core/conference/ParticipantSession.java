package org.sluice.core.conference;

import org.sluice.core.conference.ConferenceException.Code;
import org.sluice.core.datachannel.DataEnvelope;
import org.sluice.core.datachannel.RoomDataRelay;
import org.sluice.core.forward.MediaKind;
import org.sluice.core.forward.OutboundStream;
import org.sluice.core.forward.OutboundStreamStats;
import org.sluice.core.ice.IceLiteAgent;
import org.sluice.core.peer.PeerLeg;
import org.sluice.core.sdp.SessionDescription;
import org.sluice.core.transport.CongestionController;
import org.sluice.core.transport.MediaTransport;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A participant's control plane: its identity and grant, its published tracks, its subscriptions and receive
 * sections, and its transport. Every change happens under its room's lock; events are told under it too.
 */
final class ParticipantSession implements Participant {

    private static final ParticipantListener DETACHED = event -> { };
    /**
     * How long a stream new in an answer waits for {@link #answerApplied} before it forwards anyway (a client that
     * does not send {@code answered}).
     */
    static final Duration ANSWER_HOLD = Duration.ofSeconds(1);

    private final Conferences service;
    private final ConferenceContext context;
    private final ConferenceRoom room;
    private final String id;
    private final String resumeToken;
    private final JoinRequest grant;
    private final Instant joinedAt;
    private final long joinNanos;
    private final Map<String, PublishedTrack> tracks = new LinkedHashMap<>();
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private final ReceiveSections<Subscription> sections = new ReceiveSections<>();
    private final OfferHandler offers;
    private String name;
    private String metadata;
    private volatile ParticipantListener listener;
    private volatile ParticipantMedia media;
    private boolean connected;
    private boolean detached;
    private ConferenceScheduler.Cancellable graceTimer;
    private volatile boolean closed;
    private long retiredPacketsOut;
    private long retiredOctetsOut;
    /** Offers answered so far; numbers the negotiation whose answer a held stream waits for. */
    private long negotiations;

    ParticipantSession(Conferences service, ConferenceContext context, ConferenceRoom room, String id,
                       String resumeToken, JoinRequest grant, ParticipantListener listener) {
        this.service = service;
        this.context = context;
        this.room = room;
        this.id = id;
        this.resumeToken = resumeToken;
        this.grant = grant;
        this.name = grant.name();
        this.metadata = grant.metadata();
        this.listener = listener;
        this.joinedAt = context.wallClock().instant();
        this.joinNanos = context.nanoClock().getAsLong();
        this.offers = new OfferHandler(this, context);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String room() {
        return room.name();
    }

    @Override
    public String resumeToken() {
        return resumeToken;
    }

    ConferenceRoom conferenceRoom() {
        return room;
    }

    JoinRequest grant() {
        return grant;
    }

    @Override
    public ParticipantInfo info() {
        synchronized (room) {
            List<TrackInfo> infos = new ArrayList<>();
            for (PublishedTrack t : tracks.values()) {
                infos.add(t.info());
            }
            return new ParticipantInfo(id, name, metadata, infos);
        }
    }

    @Override
    public List<ParticipantInfo> others() {
        synchronized (room) {
            List<ParticipantInfo> out = new ArrayList<>();
            for (ParticipantSession p : room.participants()) {
                if (p != this) {
                    out.add(p.info());
                }
            }
            return out;
        }
    }

    int trackCount() {
        return tracks.size();
    }

    Map<String, PublishedTrack> tracks() {
        return tracks;
    }

    Map<String, Subscription> subscriptions() {
        return subscriptions;
    }

    ReceiveSections<Subscription> sections() {
        return sections;
    }

    ParticipantMedia media() {
        return media;
    }

    /** Hands an event to the listener (room lock held). */
    void tell(ConferenceEvent event) {
        listener.onEvent(event);
    }

    @Override
    public NegotiationResult offer(String sdp, List<TrackPublication> publications) throws ConferenceException {
        MediaTransport started;
        NegotiationResult result;
        ensureOpen();
        SessionDescription parsed = offers.prepare(sdp, media);
        synchronized (room) {
            ensureOpen();
            long negotiation = ++negotiations;
            OfferHandler.Outcome outcome = offers.answer(parsed, publications, media, negotiation);
            result = outcome.result();
            started = outcome.newTransport();
            if (started != null) {
                media = outcome.media();
            }
            refreshSubscriptions();
            if (subscriptions.values().stream().anyMatch(Subscription::heldForAnswer)) {
                context.scheduler().schedule(() -> releaseAnswerHolds(negotiation), ANSWER_HOLD);
            }
        }
        if (started != null) {
            // After the answer exists and the session knows its media: the peer can reach the transport now.
            started.handleWith(media);
        }
        return result;
    }

    @Override
    public void answerApplied() {
        releaseAnswerHolds(Long.MAX_VALUE);
    }

    /** Lets the streams held for the answers of negotiations up to {@code negotiation} forward; takes the room lock. */
    private void releaseAnswerHolds(long negotiation) {
        synchronized (room) {
            if (closed) {
                return;
            }
            boolean released = false;
            for (Subscription s : subscriptions.values()) {
                released |= s.answerApplied(negotiation);
            }
            if (released) {
                refreshSubscriptions();
            }
        }
    }

    /** A new track of this participant (room lock held): others are told; auto-subscribers get it pending. */
    void published(PublishedTrack track) {
        tracks.put(track.id(), track);
        room.tellOthers(this, new ConferenceEvent.TrackPublished(track.info()));
        for (ParticipantSession p : room.participants()) {
            if (p != this && p.grant.autoSubscribe() && p.grant.canSubscribe() && !p.closed) {
                p.addSubscription(track);
                p.askForOffer();
            }
        }
    }

    /** Ends a track of this participant (room lock held); {@code tell}: others get TrackUnpublished. */
    void unpublished(PublishedTrack track, boolean tell) {
        tracks.remove(track.id());
        track.close();
        MediaTransport transport = media == null ? null : media.transport();
        if (transport != null) {
            for (long ssrc : track.learnedSsrcs()) {
                transport.retireInboundStream(ssrc); // its SRTP state stops counting against the stream limit
            }
        }
        for (Subscription s : List.copyOf(track.subscriptions())) {
            ParticipantSession subscriber = subscriberOf(s);
            if (subscriber != null) {
                subscriber.dropSubscription(s);
            }
        }
        if (tell) {
            room.tellOthers(this, new ConferenceEvent.TrackUnpublished(id, track.id()));
        }
    }

    private ParticipantSession subscriberOf(Subscription s) {
        for (ParticipantSession p : room.participants()) {
            if (p.subscriptions.get(s.track().id()) == s) {
                return p;
            }
        }
        return null;
    }

    /** Subscribes to {@code track} (room lock held); the subscription waits for a receive section. */
    void addSubscription(PublishedTrack track) {
        if (subscriptions.containsKey(track.id())) {
            return;
        }
        Subscription s = new Subscription(track);
        s.rank(room.leadingSpeaker());
        subscriptions.put(track.id(), s);
        track.subscriptions().add(s);
        sections.addPending(s, track.kind());
    }

    /** Ends a subscription (room lock held): its stream is detached and the client asked for a new offer. */
    void dropSubscription(Subscription s) {
        subscriptions.remove(s.track().id(), s);
        s.track().subscriptions().remove(s);
        retiredPacketsOut += s.packetsSent();
        retiredOctetsOut += s.octetsSent();
        s.detach();
        boolean carried = sections.release(s);
        updateOutbound();
        if (carried && !closed) {
            askForOffer();
        }
    }

    /** Tells the client how many receive sections its next offer needs (room lock held). */
    void askForOffer() {
        if (sections.renegotiationNeeded()) {
            tell(new ConferenceEvent.RenegotiationNeeded(sections.needed(MediaKind.AUDIO),
                    sections.needed(MediaKind.VIDEO)));
        }
    }

    /** The media plane's outbound streams follow the subscriptions (room lock held). */
    void updateOutbound() {
        if (media == null) {
            return;
        }
        List<OutboundStream> streams = new ArrayList<>();
        for (Subscription s : subscriptions.values()) {
            if (s.stream() != null) {
                streams.add(s.stream());
            }
        }
        media.receive(streams);
    }

    /** Re-places every subscription in the room on its layer (a simulcast layer started); takes the room lock. */
    void refreshRoom() {
        synchronized (room) {
            for (ParticipantSession p : room.participants()) {
                p.refreshSubscriptions();
            }
        }
    }

    /** Re-evaluates every subscription's layer limits from its source's measured rates (room lock held). */
    void applyLayerLimits() {
        MediaTransport t = media == null ? null : media.transport();
        boolean moved = false;
        for (Subscription s : subscriptions.values()) {
            if (s.placementStale()) {
                s.refresh(t); // the subscriber's bandwidth allows another layer than it is on
                moved = true;
            }
            s.applyLayerLimits();
        }
        if (moved) {
            updateOutbound();
        }
        tellSubscriptionStates();
    }

    /** Tells the client of every subscription whose paused state or reason changed since it was last told (room lock held). */
    void tellSubscriptionStates() {
        if (closed) {
            return;
        }
        for (Subscription s : subscriptions.values()) {
            ConferenceEvent.SubscriptionState change = s.stateChange();
            if (change != null) {
                tell(change);
            }
        }
    }

    /** Ranks every subscription for the bandwidth allocator: screen shares, then {@code speaker}'s tracks, then others. */
    void rankSubscriptions(String speaker) {
        for (Subscription s : subscriptions.values()) {
            s.rank(speaker);
        }
    }

    /** Attaches or detaches every subscription's stream to match its state (room lock held). */
    void refreshSubscriptions() {
        MediaTransport t = media == null ? null : media.transport();
        for (Subscription s : subscriptions.values()) {
            s.refresh(t);
        }
        updateOutbound();
    }

    @Override
    public void unpublish(String trackId) throws ConferenceException {
        synchronized (room) {
            ensureOpen();
            PublishedTrack track = ownTrack(trackId);
            unpublished(track, true);
        }
    }

    @Override
    public void setMuted(String trackId, boolean muted) throws ConferenceException {
        synchronized (room) {
            ensureOpen();
            PublishedTrack track = ownTrack(trackId);
            if (track.setMuted(muted)) {
                room.tellOthers(this, new ConferenceEvent.TrackMuted(id, trackId, muted));
                for (ParticipantSession p : room.participants()) {
                    if (p != this) {
                        p.tellSubscriptionStates();
                    }
                }
            }
        }
    }

    private PublishedTrack ownTrack(String trackId) throws ConferenceException {
        PublishedTrack track = trackId == null ? null : tracks.get(trackId);
        if (track == null) {
            throw new ConferenceException(Code.UNKNOWN_TRACK, "no track " + trackId + " of yours");
        }
        return track;
    }

    @Override
    public void subscribe(Collection<String> trackIds) throws ConferenceException {
        synchronized (room) {
            ensureOpen();
            if (!grant.canSubscribe()) {
                throw new ConferenceException(Code.NOT_ALLOWED, "your grant does not allow receiving");
            }
            List<PublishedTrack> wanted = new ArrayList<>();
            for (String trackId : trackIds) {
                if (tracks.containsKey(trackId)) {
                    throw new ConferenceException(Code.INVALID, "track " + trackId + " is your own");
                }
                wanted.add(roomTrack(trackId));
            }
            for (PublishedTrack track : wanted) {
                addSubscription(track);
            }
            askForOffer();
        }
    }

    @Override
    public void unsubscribe(Collection<String> trackIds) throws ConferenceException {
        synchronized (room) {
            ensureOpen();
            List<Subscription> ending = new ArrayList<>();
            for (String trackId : trackIds) {
                roomTrack(trackId);
                Subscription s = subscriptions.get(trackId);
                if (s != null) {
                    ending.add(s);
                }
            }
            for (Subscription s : ending) {
                dropSubscription(s);
            }
        }
    }

    private PublishedTrack roomTrack(String trackId) throws ConferenceException {
        for (ParticipantSession p : room.participants()) {
            PublishedTrack t = p.tracks.get(trackId);
            if (t != null) {
                return t;
            }
        }
        throw new ConferenceException(Code.UNKNOWN_TRACK, "no track " + trackId + " in the room");
    }

    @Override
    public void setPreferences(String trackId, SubscriptionPreferences preferences) throws ConferenceException {
        synchronized (room) {
            ensureOpen();
            Subscription s = trackId == null ? null : subscriptions.get(trackId);
            if (s == null) {
                throw new ConferenceException(Code.UNKNOWN_TRACK, "you do not receive track " + trackId);
            }
            MediaTransport t = media == null ? null : media.transport();
            s.prefer(preferences);
            s.refresh(t);
            updateOutbound();
            tellSubscriptionStates();
        }
    }

    @Override
    public void update(String newName, String newMetadata) throws ConferenceException {
        Conferences.checkName(newName);
        Conferences.checkMetadata(newMetadata);
        synchronized (room) {
            ensureOpen();
            if (newName != null) {
                name = newName;
            }
            if (newMetadata != null) {
                metadata = newMetadata;
            }
            room.tellOthers(this, new ConferenceEvent.ParticipantUpdated(info()));
        }
    }

    @Override
    public void detach() {
        synchronized (room) {
            if (closed || detached) {
                return;
            }
            detached = true;
            listener = DETACHED;
            graceTimer = context.scheduler().schedule(() -> service.remove(this, "reconnect grace expired", true),
                    context.settings().reconnectGrace());
        }
    }

    /** Re-attaches signaling within the grace period; false if the token is wrong or the participant is gone. */
    boolean resume(String token, ParticipantListener next) {
        synchronized (room) {
            boolean tokenMatches = MessageDigest.isEqual(resumeToken.getBytes(StandardCharsets.UTF_8),
                    token == null ? new byte[0] : token.getBytes(StandardCharsets.UTF_8));
            if (!tokenMatches || closed || !detached) {
                return false;
            }
            detached = false;
            listener = next;
            for (Subscription s : subscriptions.values()) {
                s.retell(); // events of the outage are not replayed: each state goes out again at the next tick
            }
            if (graceTimer != null) {
                graceTimer.cancel();
                graceTimer = null;
            }
            // Events of the outage are not replayed, but which layers to send is state: tell it again.
            for (PublishedTrack t : tracks.values()) {
                if (t.hasDynacast()) {
                    tell(new ConferenceEvent.PublicationLayers(t.id(), t.activeLayers()));
                }
            }
            return true;
        }
    }

    @Override
    public void leave() {
        service.remove(this, "left", false);
    }

    @Override
    public RoomDataRelay.Outcome sendData(DataEnvelope message, boolean reliable) throws ConferenceException {
        ensureOpen();
        return relay().send(room.name(), id, message, reliable);
    }

    @Override
    public void followTopics(Collection<String> topics) throws ConferenceException {
        ensureOpen();
        relay().follow(room.name(), id, topics);
    }

    /** Joins the room's messaging; its socket takes what it cannot get on a data channel. */
    void joinMessaging() {
        relay().join(room.name(), id, this::deliverData);
    }

    /** A room message over signaling (any thread); false while detached or gone. */
    private boolean deliverData(String from, String topic, boolean text, byte[] payload) {
        ParticipantListener current = listener;
        if (closed || current == DETACHED) {
            return false;
        }
        current.onEvent(new ConferenceEvent.DataReceived(from, topic, text, payload));
        return true;
    }

    private RoomDataRelay relay() {
        return context.transports().dataChannels().relay();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    private void ensureOpen() throws ConferenceException {
        if (closed) {
            throw new ConferenceException(Code.CLOSED, "you have left the room");
        }
    }

    /**
     * Ends the participant (room lock held): its tracks leave every subscriber, its subscriptions end, the others
     * are told and, if {@code tellSelf}, so is it. Returns the transport to close outside the lock, or null.
     */
    MediaTransport end(String reason, boolean tellSelf) {
        if (closed) {
            return null;
        }
        closed = true;
        if (graceTimer != null) {
            graceTimer.cancel();
            graceTimer = null;
        }
        relay().leave(room.name(), id);
        room.remove(this);
        for (PublishedTrack track : List.copyOf(tracks.values())) {
            unpublished(track, false);
        }
        for (Subscription s : List.copyOf(subscriptions.values())) {
            dropSubscription(s);
        }
        room.tellOthers(this, new ConferenceEvent.ParticipantLeft(id, reason));
        if (tellSelf) {
            tell(new ConferenceEvent.Removed(reason));
        }
        if (media == null) {
            return null;
        }
        media.stop();
        return media.transport();
    }

    /** The transport connected (its loop): subscriptions start forwarding. */
    void transportConnected() {
        synchronized (room) {
            if (closed) {
                return;
            }
            connected = true;
            refreshSubscriptions();
        }
        context.listener().connected(context.nanoClock().getAsLong() - joinNanos);
    }

    /** The transport ended by itself (consent, DTLS): the participant is removed. */
    void transportClosed(String reason) {
        service.remove(this, reason, true);
    }

    ParticipantStats stats() {
        synchronized (room) {
            long packetsOut = retiredPacketsOut;
            long octetsOut = retiredOctetsOut;
            for (Subscription s : subscriptions.values()) {
                packetsOut += s.packetsSent();
                octetsOut += s.octetsSent();
            }
            List<ParticipantStats.TrackStats> trackStats = new ArrayList<>();
            for (PublishedTrack t : tracks.values()) {
                long packets = media == null ? 0 : media.ingress().packetsOf(t.mid());
                long octets = media == null ? 0 : media.ingress().octetsOf(t.mid());
                trackStats.add(new ParticipantStats.TrackStats(t.id(), packets, octets, t.subscriptions().size(),
                        t.streamStats(), t.activeLayers(), t.dynacastToggles()));
            }
            String state = detached ? "detached" : media == null ? "new" : connected ? "connected" : "connecting";
            List<ParticipantStats.ReceiveStats> received = new ArrayList<>();
            for (Map.Entry<String, Subscription> e : subscriptions.entrySet()) {
                OutboundStream stream = e.getValue().stream();
                if (stream != null) {
                    Subscription sub = e.getValue();
                    boolean simulcast = sub.track().layers().size() > 1;
                    int allowed = stream.bandwidthLayer();
                    received.add(new ParticipantStats.ReceiveStats(e.getKey(), OutboundStreamStats.of(stream),
                            sub.pauseCause(), simulcast ? sub.placedLayer() : -1,
                            simulcast && allowed != Integer.MAX_VALUE ? allowed : -1,
                            simulcast ? sub.track().wantedLayer(sub.preferences()) : -1));
                }
            }
            return new ParticipantStats(info(), joinedAt, state,
                    media == null ? 0 : media.ingress().packets(), media == null ? 0 : media.ingress().octets(),
                    packetsOut, octetsOut, trackStats, List.copyOf(subscriptions.keySet()), link(), received);
        }
    }

    /** The participant's downlink as its leg sees it now (read racily). */
    private ParticipantStats.LinkStats link() {
        if (media == null) {
            return ParticipantStats.LinkStats.NONE;
        }
        PeerLeg leg = media.leg();
        CongestionController congestion = leg.congestion();
        long rtt = leg.roundTripNanos();
        return new ParticipantStats.LinkStats(
                congestion == null || !congestion.hasFeedback() ? 0 : congestion.targetBitrateBps(),
                leg.allocatedBps(), rtt <= 0 ? -1 : rtt / 1e6,
                congestion == null ? 0 : congestion.queuedPackets(),
                congestion == null ? 0 : congestion.probePacketsSent());
    }

    long packetsOut() {
        synchronized (room) {
            long sum = retiredPacketsOut;
            for (Subscription s : subscriptions.values()) {
                sum += s.packetsSent();
            }
            return sum;
        }
    }

    long octetsOut() {
        synchronized (room) {
            long sum = retiredOctetsOut;
            for (Subscription s : subscriptions.values()) {
                sum += s.octetsSent();
            }
            return sum;
        }
    }

    long nacksReceived() {
        return media == null ? 0 : media.nacksReceived();
    }

    /** A new media plane for this participant's first transport. */
    ParticipantMedia newMedia() {
        return new ParticipantMedia(context.loops(), context.legs().withCname(cname()), new ParticipantMedia.Events() {
                    @Override
                    public void connected() {
                        transportConnected();
                    }

                    @Override
                    public void closed(String reason) {
                        transportClosed(reason);
                    }
                });
    }

    String cname() {
        return "sluice-" + room.name();
    }

    IceLiteAgent newAgent() {
        return context.transports().newAgent();
    }
}
