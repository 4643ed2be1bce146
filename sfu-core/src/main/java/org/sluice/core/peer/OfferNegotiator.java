package org.sluice.core.peer;

import org.sluice.core.peer.MediaSection;
import org.sluice.core.dtls.DtlsFingerprint;
import org.sluice.core.dtls.DtlsRole;
import org.sluice.core.forward.CodecTable;
import org.sluice.core.forward.ExtensionIds;
import org.sluice.core.forward.MediaKind;
import org.sluice.core.sdp.Candidate;
import org.sluice.core.sdp.Direction;
import org.sluice.core.sdp.Fingerprint;
import org.sluice.core.sdp.Rid;
import org.sluice.core.sdp.SdpParseException;
import org.sluice.core.sdp.SessionDescription;
import org.sluice.core.sdp.SsrcGroup;
import org.sluice.core.sdp.TrickleFragment;
import org.sluice.core.sdp.TrickleFragmentParser;
import org.sluice.core.sdp.negotiation.AnswerPolicy;
import org.sluice.core.sdp.negotiation.CodecCapability;
import org.sluice.core.sdp.negotiation.LocalCapabilities;
import org.sluice.core.sdp.negotiation.NegotiatedCodec;
import org.sluice.core.sdp.negotiation.NegotiatedMedia;
import org.sluice.core.sdp.negotiation.NegotiatedSession;
import org.sluice.core.sdp.negotiation.OutboundTrack;
import org.sluice.core.sdp.negotiation.SdpNegotiator;
import org.sluice.core.session.OfferRejectedException;
import org.sluice.core.transport.RemoteParameters;
import org.sluice.rtp.codec.Codec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns WHIP/WHEP and conference offers into answers and into what the engine keeps of them
 * ({@link MediaSection}s and the peer's transport parameters), on top of the SDP package's negotiator. The one
 * place of the engine's codec, feedback and header-extension policy.
 */
public final class OfferNegotiator {

    private static final Set<String> IMPLEMENTED_FEEDBACK = Set.of("nack", "nack pli", "ccm fir", "transport-cc",
            "goog-remb", "rrtr");

    /**
     * What the engine answers with: every default codec with RTX (RFC 4588), and the feedback it acts on:
     * NACK both ways (it asks publishers to resend and resends to receivers from its packet cache), PLI
     * and FIR (keyframe requests), transport-cc (it sends publishers feedback every 50–100 ms), goog-remb (a
     * receiver's REMB is its estimate when it has no transport-cc; a publisher without transport-cc gets REMB with
     * the engine's receive-side estimate, and any publisher a REMB cap where its viewers need only its lower
     * simulcast layers), rrtr (RFC 3611: its receiver reports carry an RRTR, and it answers the peer's RRTR with a
     * DLRR).
     */
    private static final List<CodecCapability> CODECS = CodecCapability.defaults().stream()
            .map(c -> new CodecCapability(c.kind(), c.name(), c.clockRate(), c.channels(), c.fmtp(), c.rtx(),
                    c.feedback().stream().filter(IMPLEMENTED_FEEDBACK::contains).toList()))
            .toList();

    static final String TRANSPORT_CC_URI = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    private static final String MID_URI = "urn:ietf:params:rtp-hdrext:sdes:mid";
    private static final String RID_URI = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    private static final String REPAIRED_RID_URI = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";

    private static final List<String> HEADER_EXTENSIONS = List.of(
            MID_URI,
            RID_URI,
            REPAIRED_RID_URI,
            "urn:ietf:params:rtp-hdrext:ssrc-audio-level",
            TRANSPORT_CC_URI,
            "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension");

    /** Our side of a transport, as it goes into an answer. */
    public record Local(String ufrag, String password, String fingerprint, List<String> candidates) {
    }

    /**
     * A negotiated offer.
     *
     * @param localSsrcs for a viewer: our SSRC per mid that we send in
     * @param localRtxSsrcs for a viewer: our RTX SSRC per mid where the viewer negotiated RTX
     */
    public record Result(String answerSdp, List<MediaSection> sections, RemoteParameters remote, Map<String, Long> localSsrcs,
                         Map<String, Long> localRtxSsrcs) {
    }

    /** What a trickle PATCH carried: new credentials (an ICE restart) or none, and the mids it names. */
    public record Trickle(String ufrag, String password, List<String> mids, List<String> kinds) {
    }

    public Result publish(String offerSdp, Local local) throws OfferRejectedException {
        NegotiatedSession session = negotiator(local).negotiate(offerSdp, AnswerPolicy.receiveOnly());
        List<MediaSection> sections = sections(session, Direction.RECVONLY);
        if (sections.isEmpty()) {
            throw new OfferRejectedException(OfferRejectedException.Reason.UNSUPPORTED_OFFER,
                    "the offer sends no audio or video we can receive (a WHIP offer is sendonly)");
        }
        return new Result(session.answerSdp(), sections, remote(session), Map.of(), Map.of());
    }

    public Result subscribe(String offerSdp, Local local, String streamId, String cname) throws OfferRejectedException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<OutboundTrack> tracks = List.of(
                new OutboundTrack("audio", streamId, "audio", random.nextLong(1, 0x100000000L), -1, cname),
                new OutboundTrack("video", streamId, "video", random.nextLong(1, 0x100000000L),
                        random.nextLong(1, 0x100000000L), cname));
        NegotiatedSession session = negotiator(local).negotiate(offerSdp,
                AnswerPolicy.sending(tracks, Direction.SENDONLY));
        Map<String, Long> localSsrcs = new HashMap<>();
        Map<String, Long> localRtxSsrcs = new HashMap<>();
        for (NegotiatedMedia media : session.media()) {
            if (!media.rejected() && media.outboundTrack() != null) {
                localSsrcs.put(media.mid(), media.outboundTrack().ssrc());
                if (media.outboundTrack().hasRtx() && media.codecs().stream().anyMatch(NegotiatedCodec::hasRtx)) {
                    localRtxSsrcs.put(media.mid(), media.outboundTrack().rtxSsrc());
                }
            }
        }
        List<MediaSection> sections = sections(session, Direction.SENDONLY);
        if (localSsrcs.isEmpty()) {
            throw new OfferRejectedException(OfferRejectedException.Reason.UNSUPPORTED_OFFER,
                    "the offer receives no audio or video (a WHEP offer is recvonly)");
        }
        return new Result(session.answerSdp(), sections, remote(session), localSsrcs, localRtxSsrcs);
    }

    /**
     * A negotiated conference offer.
     *
     * @param answerSdp the answer
     * @param session   the negotiation in full (per-mid outcome)
     * @param received  sections we receive (the participant publishes in them)
     * @param sent      sections we send in (a track was given to them)
     * @param remote    the participant's transport parameters
     */
    public record Negotiated(String answerSdp, NegotiatedSession session, List<MediaSection> received,
                             List<MediaSection> sent, RemoteParameters remote) {
    }

    /**
     * Answers a conference participant's offer with the engine's policy; {@code policy} chooses the tracks we
     * send per receive section and how {@code sendrecv} sections are answered.
     */
    public Negotiated negotiate(SessionDescription offer, Local local, AnswerPolicy policy)
            throws OfferRejectedException {
        NegotiatedSession session = negotiator(local).negotiate(offer, policy);
        return new Negotiated(session.answerSdp(), session, sections(session, Direction.RECVONLY),
                sections(session, Direction.SENDONLY), remote(session));
    }

    public Trickle parseTrickle(String fragment) throws OfferRejectedException {
        try {
            TrickleFragment parsed = TrickleFragmentParser.parse(fragment);
            List<String> mids = new ArrayList<>();
            List<String> kinds = new ArrayList<>();
            for (TrickleFragment.Section section : parsed.sections()) {
                if (section.mid() != null) {
                    mids.add(section.mid());
                    kinds.add(section.kind());
                }
            }
            return new Trickle(parsed.effectiveIceUfrag(), parsed.effectiveIcePwd(), mids, kinds);
        } catch (SdpParseException e) {
            throw new OfferRejectedException(OfferRejectedException.Reason.MALFORMED_SDP, e.getMessage());
        }
    }

    /** The fragment answering an ICE restart: our new credentials and candidates. */
    public String restartFragment(Local local, Trickle trickle) throws OfferRejectedException {
        List<Candidate> candidates = new ArrayList<>();
        try {
            for (String line : local.candidates()) {
                candidates.add(Candidate.parse(line));
            }
        } catch (SdpParseException e) {
            throw new IllegalStateException("our own candidate does not parse: " + e.getMessage(), e);
        }
        List<String> mids = trickle.mids().isEmpty() ? List.of("0") : trickle.mids();
        List<String> kinds = trickle.kinds().isEmpty() ? List.of("audio") : trickle.kinds();
        return TrickleFragment.iceRestartAnswer(local.ufrag(), local.password(), true, mids, kinds, candidates).write();
    }

    private static SdpNegotiator negotiator(Local local) {
        int space = local.fingerprint().indexOf(' ');
        Fingerprint fingerprint = new Fingerprint(local.fingerprint().substring(0, space),
                local.fingerprint().substring(space + 1));
        LocalCapabilities capabilities = LocalCapabilities.builder(local.ufrag(), local.password(), fingerprint)
                .candidates(local.candidates())
                .codecs(CODECS)
                .headerExtensions(HEADER_EXTENSIONS)
                .iceLite(true)
                .originSessionId(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE))
                .build();
        return new SdpNegotiator(capabilities);
    }

    private static RemoteParameters remote(NegotiatedSession session) throws OfferRejectedException {
        Fingerprint offered = session.remoteFingerprint();
        DtlsFingerprint fingerprint = offered == null ? null
                : DtlsFingerprint.parse(offered.algorithm() + " " + offered.value());
        if (fingerprint == null) {
            throw new OfferRejectedException(OfferRejectedException.Reason.UNSUPPORTED_OFFER,
                    "the offer's DTLS fingerprint is missing or not understood");
        }
        DtlsRole role = switch (session.dtlsRole()) {
            case CLIENT -> DtlsRole.CLIENT;
            case SERVER -> DtlsRole.SERVER;
        };
        return new RemoteParameters(session.remoteIceUfrag(), session.remoteIcePwd(), fingerprint, role);
    }

    /** The accepted audio/video sections flowing in {@code direction} (from our side). */
    private static List<MediaSection> sections(NegotiatedSession session, Direction direction) {
        List<MediaSection> sections = new ArrayList<>();
        for (NegotiatedMedia media : session.media()) {
            MediaKind kind = MediaKind.fromSdp(media.kind());
            if (media.rejected() || kind == null || media.direction() != direction) {
                continue;
            }
            Map<Integer, Codec> codecs = new LinkedHashMap<>();
            Map<Integer, Integer> rtx = new HashMap<>();
            boolean nack = false;
            boolean pli = false;
            boolean rrtr = false;
            boolean remb = false;
            for (NegotiatedCodec codec : media.codecs()) {
                Codec known = Codec.fromEncodingName(codec.name());
                if (known != null) {
                    codecs.put(codec.payloadType(), known);
                    if (codec.hasRtx()) {
                        rtx.put(codec.payloadType(), codec.rtxPayloadType());
                    }
                    nack |= codec.hasFeedback("nack");
                    pli |= codec.hasFeedback("nack pli");
                    rrtr |= codec.hasFeedback("rrtr");
                    remb |= codec.hasFeedback("goog-remb");
                }
            }
            List<Long> rtxSsrcs = new ArrayList<>();
            Map<Long, Long> rtxRepairs = new HashMap<>();
            for (SsrcGroup group : media.remoteSsrcGroups()) {
                if ("FID".equals(group.semantics()) && group.ssrcs().size() == 2) {
                    rtxSsrcs.add(group.ssrcs().get(1));
                    rtxRepairs.put(group.ssrcs().get(1), group.ssrcs().get(0));
                }
            }
            List<Long> mediaSsrcs = new ArrayList<>(media.remoteSsrcs());
            mediaSsrcs.removeAll(rtxSsrcs);
            List<String> rids = media.rids().stream().map(Rid::id).toList();
            sections.add(new MediaSection(media.mid(), kind, new CodecTable(codecs, rtx),
                    ExtensionIds.fromUris(media.extensionIds()),
                    Math.max(0, media.extensionId(MID_URI)), Math.max(0, media.extensionId(RID_URI)),
                    mediaSsrcs, rtxSsrcs, rids, media.remoteCname(), nack, pli,
                    Math.max(0, media.extensionId(TRANSPORT_CC_URI)), Math.max(0, media.extensionId(REPAIRED_RID_URI)),
                    rtxRepairs, remb, rrtr));
        }
        return sections;
    }
}
