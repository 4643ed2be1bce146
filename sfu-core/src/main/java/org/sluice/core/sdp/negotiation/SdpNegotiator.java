package org.sluice.core.sdp.negotiation;

import static org.sluice.core.session.OfferRejectedException.Reason.MALFORMED_SDP;
import static org.sluice.core.session.OfferRejectedException.Reason.NO_COMMON_CODEC;
import static org.sluice.core.session.OfferRejectedException.Reason.UNSUPPORTED_OFFER;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sluice.core.sdp.Candidate;
import org.sluice.core.sdp.Connection;
import org.sluice.core.sdp.Direction;
import org.sluice.core.sdp.Fingerprint;
import org.sluice.core.sdp.Group;
import org.sluice.core.sdp.MediaDescription;
import org.sluice.core.sdp.SdpParseException;
import org.sluice.core.sdp.SdpParser;
import org.sluice.core.sdp.SessionDescription;
import org.sluice.core.sdp.Setup;
import org.sluice.core.sdp.Origin;
import org.sluice.core.session.OfferRejectedException;

/**
 * Answers WebRTC offers as JSEP's answerer (RFC 8829), for one BUNDLE transport with rtcp-mux, ICE and DTLS-SRTP.
 * The offer must bundle every m-section it does not reject, multiplex RTCP, and carry ICE credentials and a
 * fingerprint ({@code UNSUPPORTED_OFFER} otherwise); text that is not SDP is {@code MALFORMED_SDP}. Each audio/video
 * m-section gets the offered codecs we support (offer order and payload types, RTX where offered), the supported
 * header extensions with the offer's ids and the rtcp-fb both support; one with nothing in common, or of a kind we do
 * not carry, is rejected with port 0 and kept in place. A data channel section ({@code UDP/DTLS/SCTP
 * webrtc-datachannel}) is accepted when the {@link AnswerPolicy} takes data channels (see {@link DataChannelAnswer}). If no m-section is left,
 * {@code NO_COMMON_CODEC}. Directions: a {@code sendonly} offer is answered {@code recvonly}, {@code recvonly} is
 * answered {@code sendonly} with the {@link AnswerPolicy}'s track, {@code sendrecv} as the policy chooses. Offered
 * simulcast ({@code a=rid ... send} + {@code a=simulcast:send}) is mirrored as {@code recv}. DTLS: {@code actpass}
 * or {@code active} offers make us the server ({@code passive}), {@code passive} makes us the client. Stateless
 * and thread-safe.
 */
public final class SdpNegotiator {

    private static final String BUNDLE = "BUNDLE";

    private final LocalCapabilities local;

    public SdpNegotiator(LocalCapabilities local) {
        this.local = local;
    }

    /** Parses {@code offerSdp} and answers it. */
    public NegotiatedSession negotiate(String offerSdp, AnswerPolicy policy) throws OfferRejectedException {
        SessionDescription offer;
        try {
            offer = SdpParser.parse(offerSdp);
        } catch (SdpParseException e) {
            throw new OfferRejectedException(MALFORMED_SDP, "malformed SDP: " + e.getMessage());
        }
        return negotiate(offer, policy);
    }

    /** Answers a parsed offer. */
    public NegotiatedSession negotiate(SessionDescription offer, AnswerPolicy policy) throws OfferRejectedException {
        List<MediaDescription> sections = offer.media();
        if (sections.isEmpty()) {
            throw new OfferRejectedException(UNSUPPORTED_OFFER, "the offer has no m= sections");
        }
        Set<String> mids = new HashSet<>();
        List<MediaDescription> active = new ArrayList<>();
        for (MediaDescription m : sections) {
            if (m.mid() != null && !mids.add(m.mid())) {
                throw new OfferRejectedException(UNSUPPORTED_OFFER, "mid " + m.mid() + " appears twice");
            }
            if (isActive(m)) {
                if (m.mid() == null) {
                    throw new OfferRejectedException(UNSUPPORTED_OFFER, "an m= section has no a=mid");
                }
                active.add(m);
            }
        }
        if (active.isEmpty()) {
            throw new OfferRejectedException(UNSUPPORTED_OFFER, "every m= section of the offer is rejected");
        }
        Group bundle = bundleGroup(offer, active);
        MediaDescription tag = offer.mediaByMid(bundle.mids().get(0));
        if (tag == null || !isActive(tag)) {
            throw new OfferRejectedException(UNSUPPORTED_OFFER, "the BUNDLE tag m= section is missing or rejected");
        }
        String ufrag = tag.iceUfrag() != null ? tag.iceUfrag() : offer.iceUfrag();
        String pwd = tag.icePwd() != null ? tag.icePwd() : offer.icePwd();
        if (ufrag == null || pwd == null) {
            throw new OfferRejectedException(UNSUPPORTED_OFFER, "the offer has no ICE ufrag/pwd");
        }
        List<Fingerprint> fingerprints = !tag.fingerprints().isEmpty() ? tag.fingerprints() : offer.fingerprints();
        if (fingerprints.isEmpty()) {
            throw new OfferRejectedException(UNSUPPORTED_OFFER, "the offer has no DTLS fingerprint");
        }
        Setup remoteSetup = tag.setup() != null ? tag.setup() : offer.setup();
        DtlsRole role = dtlsRole(remoteSetup);
        for (MediaDescription m : active) {
            if (isRtp(m) && !m.rtcpMux()) {
                throw new OfferRejectedException(UNSUPPORTED_OFFER, "m= section " + m.mid() + " lacks a=rtcp-mux");
            }
        }

        List<NegotiatedMedia> negotiated = new ArrayList<>();
        List<MediaDescription> answerMedia = new ArrayList<>();
        List<String> acceptedMids = new ArrayList<>();
        int rtpSections = 0;
        boolean dataChannelAccepted = false;
        for (MediaDescription m : sections) {
            MediaAnswer.Result r = null;
            if (isActive(m) && isRtp(m)) {
                rtpSections++;
                r = new MediaAnswer(local, offer, m, policy).answer(acceptedMids.isEmpty(), role);
            } else if (isActive(m) && !dataChannelAccepted && policy.acceptsDataChannels()
                    && DataChannelAnswer.isDataChannel(m)) {
                r = DataChannelAnswer.answer(local, m, acceptedMids.isEmpty(), role);
                dataChannelAccepted = r != null;
            }
            if (r == null) {
                answerMedia.add(rejected(m));
                negotiated.add(new NegotiatedMedia(m.mid(), m.kind(), true, Direction.INACTIVE, List.of(), Map.of(),
                        List.of(), List.of(), null, null, List.of(), null, null));
            } else {
                answerMedia.add(r.answer());
                negotiated.add(r.negotiated());
                acceptedMids.add(m.mid());
            }
        }
        if (rtpSections == 0 && !dataChannelAccepted) {
            throw new OfferRejectedException(UNSUPPORTED_OFFER, "the offer has no audio or video to negotiate");
        }
        if (acceptedMids.isEmpty() || (rtpSections > 0 && acceptedMids.size() == (dataChannelAccepted ? 1 : 0))) {
            throw new OfferRejectedException(NO_COMMON_CODEC, "no codec in common in any m= section");
        }

        SessionDescription.Builder answer = SessionDescription.builder(
                new Origin("-", local.originSessionId(), "2", "IN", "IP4", "127.0.0.1"));
        answer.groups.add(new Group(BUNDLE, acceptedMids));
        answer.iceLite = local.iceLite();
        answer.extmapAllowMixed = offer.extmapAllowMixed();
        StringBuilder wms = new StringBuilder(" WMS");
        Set<String> streams = new LinkedHashSet<>();
        for (NegotiatedMedia nm : negotiated) {
            if (nm.outboundTrack() != null && streams.add(nm.outboundTrack().streamId())) {
                wms.append(' ').append(nm.outboundTrack().streamId());
            }
        }
        answer.msidSemantic = wms.toString();
        answer.media.addAll(answerMedia);

        return new NegotiatedSession(answer.build(), ufrag, pwd, fingerprints, role, remoteCandidates(offer, tag, bundle),
                tag.endOfCandidates(), offer.extmapAllowMixed(), negotiated);
    }

    /** Not rejected by the offerer: a port, or port 0 with {@code a=bundle-only} (RFC 8843). */
    private static boolean isActive(MediaDescription m) {
        return m.isActive();
    }

    /** Audio or video over (S)RTP with AVPF feedback, as WebRTC sends it. */
    private static boolean isRtp(MediaDescription m) {
        return (m.kind().equals("audio") || m.kind().equals("video")) && m.proto().endsWith("RTP/SAVPF");
    }

    private static Group bundleGroup(SessionDescription offer, List<MediaDescription> active)
            throws OfferRejectedException {
        for (Group g : offer.groups()) {
            if (g.semantics().equals(BUNDLE) && !g.mids().isEmpty()) {
                boolean coversAll = true;
                for (MediaDescription m : active) {
                    coversAll &= g.mids().contains(m.mid());
                }
                if (coversAll) {
                    return g;
                }
            }
        }
        throw new OfferRejectedException(UNSUPPORTED_OFFER, "no a=group:BUNDLE covering every m= section");
    }

    private static DtlsRole dtlsRole(Setup remote) throws OfferRejectedException {
        if (remote == null || remote == Setup.ACTPASS || remote == Setup.ACTIVE) {
            // RFC 4145: absent means active; actpass leaves the choice to us and we prefer to be the server.
            return DtlsRole.SERVER;
        }
        if (remote == Setup.PASSIVE) {
            return DtlsRole.CLIENT;
        }
        throw new OfferRejectedException(UNSUPPORTED_OFFER, "a=setup:holdconn is not supported");
    }

    /**
     * The candidates of the offerer's BUNDLE-tagged m-section, which the bundled transport uses (an offerer that
     * gathered per m-section lists other ports in the others); if it lists none, those of every bundled section.
     */
    private static List<Candidate> remoteCandidates(SessionDescription offer, MediaDescription tag, Group bundle) {
        Map<String, Candidate> unique = new LinkedHashMap<>();
        for (Candidate c : tag.candidates()) {
            unique.putIfAbsent(c.value(), c);
        }
        if (unique.isEmpty()) {
            for (String mid : bundle.mids()) {
                MediaDescription m = offer.mediaByMid(mid);
                if (m != null) {
                    for (Candidate c : m.candidates()) {
                        unique.putIfAbsent(c.value(), c);
                    }
                }
            }
        }
        return List.copyOf(unique.values());
    }

    /** The answer to a section we do not take: same kind and proto, port 0, its first format, its mid. */
    private static MediaDescription rejected(MediaDescription offered) {
        MediaDescription.Builder b = MediaDescription.builder(offered.kind(), 0, offered.proto());
        b.formats.add(offered.formats().get(0));
        b.connection = Connection.UNSPECIFIED_IP4;
        b.mid = offered.mid();
        return b.build();
    }
}
