package org.sluice.core.conference;

import org.sluice.core.peer.MediaSection;
import org.sluice.core.conference.ConferenceException.Code;
import org.sluice.core.peer.OfferNegotiator;
import org.sluice.core.forward.MediaKind;
import org.sluice.core.ice.IceLiteAgent;
import org.sluice.rtp.ext.ExtensionType;
import org.sluice.core.sdp.Direction;
import org.sluice.core.sdp.Fingerprint;
import org.sluice.core.sdp.MediaDescription;
import org.sluice.core.sdp.SdpParseException;
import org.sluice.core.sdp.SdpParser;
import org.sluice.core.sdp.SessionDescription;
import org.sluice.core.sdp.negotiation.AnswerPolicy;
import org.sluice.core.sdp.negotiation.OutboundTrack;
import org.sluice.core.session.OfferRejectedException;
import org.sluice.core.transport.MediaTransport;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Answers one participant's offers: classifies its sections (publications, receive sections), checks grants and
 * limits before changing anything, restarts ICE on new credentials, negotiates with the engine's policy giving
 * receive sections their planned tracks, then applies the outcome (tracks published and unpublished, receive
 * sections committed, subscriptions carried). Called under the room's lock.
 */
final class OfferHandler {

    /** The answer and, for a first offer, the transport and media plane to start once the lock is released. */
    record Outcome(NegotiationResult result, MediaTransport newTransport, ParticipantMedia media) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ParticipantSession participant;
    private final ConferenceContext context;
    private volatile Fingerprint remoteFingerprint;

    OfferHandler(ParticipantSession participant, ConferenceContext context) {
        this.participant = participant;
        this.context = context;
    }

    /**
     * Parses an offer and, for a participant with a transport, refuses a changed DTLS fingerprint and restarts ICE
     * on new credentials. Called WITHOUT the room's lock: the restart runs on the transport's loop, which may itself
     * be waiting for the room's lock (a connect or close event).
     */
    SessionDescription prepare(String sdp, ParticipantMedia current) throws ConferenceException {
        SessionDescription offer;
        try {
            offer = SdpParser.parse(sdp);
        } catch (SdpParseException | RuntimeException e) {
            throw new ConferenceException(Code.BAD_OFFER, "malformed SDP: " + e.getMessage());
        }
        MediaTransport transport = current == null ? null : current.transport();
        if (transport != null) {
            Fingerprint offered = offeredFingerprint(offer);
            Fingerprint known = remoteFingerprint;
            if (known != null && !sameFingerprint(known, offered)) {
                throw new ConferenceException(Code.BAD_OFFER, "the DTLS fingerprint changed");
            }
            restartIceIfNew(offer, transport);
        }
        return offer;
    }

    /** Answers a prepared offer; under the room's lock. */
    Outcome answer(SessionDescription offer, List<TrackPublication> publications, ParticipantMedia current,
                   long negotiation) throws ConferenceException {
        Map<String, TrackPublication> byMid = new LinkedHashMap<>();
        for (TrackPublication p : publications) {
            if (byMid.put(p.mid(), p) != null) {
                throw new ConferenceException(Code.INVALID, "mid " + p.mid() + " is published twice");
            }
        }
        Set<String> sending = new HashSet<>();
        Map<String, MediaKind> receiving = new LinkedHashMap<>();
        for (MediaDescription m : offer.media()) {
            MediaKind kind = MediaKind.fromSdp(m.kind());
            // A port-0 section with a=bundle-only (Firefox, max-bundle) is as live as the BUNDLE tag.
            if (!m.isActive() || m.mid() == null || kind == null) {
                continue;
            }
            Direction direction = m.direction() == null ? Direction.SENDRECV : m.direction();
            if (byMid.containsKey(m.mid()) && direction.sends()) {
                sending.add(m.mid());
            } else if (direction == Direction.RECVONLY || direction == Direction.SENDRECV) {
                receiving.put(m.mid(), kind);
            }
        }
        for (String mid : byMid.keySet()) {
            if (!sending.contains(mid)) {
                throw new ConferenceException(Code.INVALID, "publication mid " + mid + " is not a sending section");
            }
        }
        Map<String, PublishedTrack> kept = new LinkedHashMap<>();
        for (PublishedTrack t : participant.tracks().values()) {
            if (sending.contains(t.mid())) {
                kept.put(t.mid(), t);
            }
        }
        int fresh = 0;
        for (String mid : byMid.keySet()) {
            if (!kept.containsKey(mid)) {
                fresh++;
            }
        }
        if (fresh > 0 && !participant.grant().canPublish()) {
            throw new ConferenceException(Code.NOT_ALLOWED, "your grant does not allow publishing");
        }
        if (kept.size() + fresh > context.settings().maxTracksPerParticipant()) {
            throw new ConferenceException(Code.TOO_MANY_TRACKS,
                    "at most " + context.settings().maxTracksPerParticipant() + " published tracks");
        }

        MediaTransport transport = current == null ? null : current.transport();
        IceLiteAgent ice = transport == null ? participant.newAgent() : transport.ice();
        ReceiveSections.Plan<Subscription> plan = participant.sections().plan(receiving);
        String cname = participant.cname();
        AnswerPolicy policy = new AnswerPolicy() {
            @Override
            public Direction answerToSendRecv(String mid, String kind) {
                return byMid.containsKey(mid) ? Direction.RECVONLY : Direction.SENDONLY;
            }

            @Override
            public OutboundTrack outboundTrack(String mid, String kind) {
                Subscription s = plan.assignments().get(mid);
                return s == null || byMid.containsKey(mid) ? null : s.outboundTrack(cname);
            }

            @Override
            public boolean acceptsDataChannels() {
                return true;
            }
        };
        OfferNegotiator.Negotiated negotiated;
        try {
            negotiated = context.negotiator().negotiate(offer, context.local().apply(ice), policy);
        } catch (OfferRejectedException e) {
            throw new ConferenceException(Code.BAD_OFFER, e.getMessage());
        } catch (RuntimeException e) {
            throw new ConferenceException(Code.BAD_OFFER, "the offer cannot be answered");
        }
        remoteFingerprint = negotiated.session().remoteFingerprint();

        ParticipantMedia media = current;
        MediaTransport created = null;
        if (transport == null) {
            media = participant.newMedia();
            created = context.transports().create(participant.id(), ice, negotiated.remote());
            media.bind(created);
            transport = created;
        }
        if (!media.dataChannelsEnabled() && negotiated.session().media().stream()
                .anyMatch(m -> !m.rejected() && "application".equals(m.kind()))) {
            media.enableDataChannels(context.transports(), participant.room(), participant.id());
        }

        // Publications: sections we receive.
        Map<String, MediaSection> received = new LinkedHashMap<>();
        for (MediaSection s : negotiated.received()) {
            received.put(s.mid(), s);
        }
        for (PublishedTrack t : List.copyOf(participant.tracks().values())) {
            if (!kept.containsKey(t.mid()) || !received.containsKey(t.mid())) {
                participant.unpublished(t, true);
            }
        }
        Map<String, PublishedTrack> tracksByMid = new LinkedHashMap<>();
        for (PublishedTrack t : participant.tracks().values()) {
            tracksByMid.put(t.mid(), t);
        }
        List<PublishedTrack> added = new ArrayList<>();
        for (TrackPublication p : byMid.values()) {
            MediaSection section = received.get(p.mid());
            if (section == null || tracksByMid.containsKey(p.mid())) {
                continue;
            }
            List<Layer> layers = layersOf(p, section);
            PublishedTrack track = new PublishedTrack(newTrackId(), participant.id(), p.mid(), section.kind(),
                    p.source() == null ? TrackSource.UNKNOWN : p.source(), p.muted(), layers, context.loops().size(),
                    section.extensions().id(ExtensionType.AUDIO_LEVEL), p.height(), p.scalabilityMode());
            track.onLayerArrival(() -> context.scheduler().schedule(participant::refreshRoom, Duration.ZERO));
            tracksByMid.put(p.mid(), track);
            added.add(track);
        }
        List<MediaSection> publishing = new ArrayList<>();
        for (MediaSection s : received.values()) {
            if (tracksByMid.containsKey(s.mid())) {
                publishing.add(s);
            }
        }
        media.publish(publishing, tracksByMid);
        for (PublishedTrack track : added) {
            participant.published(track);
        }

        // Receive sections: what each carries now.
        Map<String, MediaSection> sent = new LinkedHashMap<>();
        for (MediaSection s : negotiated.sent()) {
            sent.put(s.mid(), s);
        }
        List<String> refused = new ArrayList<>();
        List<NegotiationResult.Receiving> receivingResult = new ArrayList<>();
        for (Map.Entry<String, Subscription> e : plan.assignments().entrySet()) {
            MediaSection section = sent.get(e.getKey());
            Subscription s = e.getValue();
            if (section == null || participant.subscriptions().get(s.track().id()) != s) {
                refused.add(e.getKey());
                continue;
            }
            if (s.carryIn(e.getKey(), section, transport, context.nanoClock(), context.legs().counters())) {
                s.holdForAnswer(negotiation);
            }
            receivingResult.add(new NegotiationResult.Receiving(e.getKey(), s.track().id(), s.track().participantId()));
        }
        participant.sections().commit(plan, refused);
        return finish(negotiated, tracksByMid, receivingResult, created, media);
    }

    private Outcome finish(OfferNegotiator.Negotiated negotiated, Map<String, PublishedTrack> tracksByMid,
                           List<NegotiationResult.Receiving> receiving, MediaTransport created,
                           ParticipantMedia media) {
        List<NegotiationResult.Published> published = new ArrayList<>();
        for (PublishedTrack t : tracksByMid.values()) {
            published.add(new NegotiationResult.Published(t.mid(), t.id()));
        }
        return new Outcome(new NegotiationResult(negotiated.answerSdp(), published, receiving), created, media);
    }

    private void restartIceIfNew(SessionDescription offer, MediaTransport transport) throws ConferenceException {
        String ufrag = offer.iceUfrag();
        String pwd = offer.icePwd();
        for (MediaDescription m : offer.media()) {
            if (m.isActive() && m.iceUfrag() != null) {
                ufrag = m.iceUfrag();
                pwd = m.icePwd();
                break;
            }
        }
        if (ufrag == null || pwd == null) {
            throw new ConferenceException(Code.BAD_OFFER, "the offer has no ICE ufrag/pwd");
        }
        IceLiteAgent ice = transport.ice();
        String current = ice.remoteCredentials() == null ? null : ice.remoteCredentials().ufrag();
        if (!ufrag.equals(current)) {
            // The restart cannot be undone: an offer that cannot be answered must fail before it, or the client
            // would never learn the new credentials. Negotiation is stateless, so a trial answer tells.
            try {
                context.negotiator().negotiate(offer, context.local().apply(ice), AnswerPolicy.receiveOnly());
            } catch (OfferRejectedException e) {
                throw new ConferenceException(Code.BAD_OFFER, e.getMessage());
            } catch (RuntimeException e) {
                throw new ConferenceException(Code.BAD_OFFER, "the offer cannot be answered");
            }
            context.transports().restartIce(transport, ufrag, pwd);
        }
    }

    private static Fingerprint offeredFingerprint(SessionDescription offer) {
        for (MediaDescription m : offer.media()) {
            if (m.isActive() && !m.fingerprints().isEmpty()) {
                return preferred(m.fingerprints());
            }
        }
        return offer.fingerprints().isEmpty() ? null : preferred(offer.fingerprints());
    }

    private static Fingerprint preferred(List<Fingerprint> fingerprints) {
        for (Fingerprint f : fingerprints) {
            if (f.algorithm().equalsIgnoreCase("sha-256")) {
                return f;
            }
        }
        return fingerprints.get(0);
    }

    private static boolean sameFingerprint(Fingerprint a, Fingerprint b) {
        return b != null && a.algorithm().equalsIgnoreCase(b.algorithm()) && a.value().equalsIgnoreCase(b.value());
    }

    private static List<Layer> layersOf(TrackPublication p, MediaSection section) {
        if (section.rids().isEmpty()) {
            return List.of();
        }
        List<Layer> layers = new ArrayList<>();
        for (String rid : section.rids()) {
            Layer declared = null;
            for (Layer l : p.layers()) {
                if (l.rid().equals(rid)) {
                    declared = l;
                }
            }
            layers.add(declared != null ? declared : new Layer(rid, 0, 0));
        }
        if (!p.layers().isEmpty()) {
            // Lowest first, as the publisher declared them.
            layers.sort((x, y) -> Integer.compare(indexOf(p.layers(), x.rid()), indexOf(p.layers(), y.rid())));
        }
        return layers;
    }

    private static int indexOf(List<Layer> layers, String rid) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).rid().equals(rid)) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    private static String newTrackId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "TR" + HexFormat.of().formatHex(bytes);
    }
}
