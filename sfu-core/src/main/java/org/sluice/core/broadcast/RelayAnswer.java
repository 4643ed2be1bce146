package org.sluice.core.broadcast;

import org.sluice.core.dtls.DtlsFingerprint;
import org.sluice.core.dtls.DtlsRole;
import org.sluice.core.forward.CodecTable;
import org.sluice.core.forward.ExtensionIds;
import org.sluice.core.sdp.Extmap;
import org.sluice.core.sdp.Fingerprint;
import org.sluice.core.sdp.MediaDescription;
import org.sluice.core.sdp.RtcpFb;
import org.sluice.core.sdp.RtpMap;
import org.sluice.core.sdp.SdpParseException;
import org.sluice.core.sdp.SdpParser;
import org.sluice.core.sdp.SessionDescription;
import org.sluice.core.sdp.Setup;
import org.sluice.core.sdp.TransportAttributes;
import org.sluice.core.session.OfferRejectedException;
import org.sluice.core.transport.RemoteParameters;
import org.sluice.rtp.codec.Codec;
import org.sluice.rtp.ext.ExtensionType;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the origin takes from an edge's answer to a {@link RelayOffer}: the edge's ICE credentials, DTLS fingerprint
 * and role, the first UDP candidate (the edge is ICE-lite, so that is where our checks go), and per accepted section
 * the payload types and extension ids our streams use toward it. Immutable.
 *
 * @param remote    the edge's transport parameters (our DTLS role: client, as the edge answers passive)
 * @param candidate where to send
 * @param audio     the audio section's codecs and extensions, null when the edge rejected it
 * @param video     the video section's, null when the edge rejected it
 */
public record RelayAnswer(RemoteParameters remote, InetSocketAddress candidate, Section audio, Section video) {

    /**
     * One accepted section.
     *
     * @param codecs     its payload types (ours, as the answer keeps them)
     * @param extensions the forwarded extensions' ids
     * @param midId      the mid extension's id, 0 when refused
     * @param ridId      the rid extension's id, 0 when refused
     */
    public record Section(CodecTable codecs, ExtensionIds extensions, int midId, int ridId, boolean nack) {
    }

    /**
     * Parses the answer.
     *
     * @throws OfferRejectedException when it does not parse, or lacks what a connection needs (credentials, a
     *                                fingerprint, a UDP candidate, an accepted section)
     */
    public static RelayAnswer parse(String sdp) throws OfferRejectedException {
        SessionDescription parsed;
        try {
            parsed = SdpParser.parse(sdp);
        } catch (SdpParseException e) {
            throw new OfferRejectedException(OfferRejectedException.Reason.MALFORMED_SDP,
                    "the edge's answer does not parse: " + e.getMessage());
        }
        TransportAttributes transport = TransportAttributes.of(parsed);
        String ufrag = transport.iceUfrag();
        String pwd = transport.icePwd();
        Setup setup = transport.setup();
        Fingerprint fingerprint = transport.fingerprint();
        InetSocketAddress candidate = transport.udpCandidate() == null ? null
                : literal(transport.udpCandidate().address(), transport.udpCandidate().port());
        Section audio = null;
        Section video = null;
        for (MediaDescription media : parsed.media()) {
            if (media.port() == 0) {
                continue;
            }
            if ("audio".equals(media.kind()) && audio == null) {
                audio = section(media);
            } else if ("video".equals(media.kind()) && video == null) {
                video = section(media);
            }
        }
        if (ufrag == null || pwd == null || fingerprint == null || candidate == null) {
            throw new OfferRejectedException(OfferRejectedException.Reason.UNSUPPORTED_OFFER,
                    "the edge's answer lacks ICE credentials, a fingerprint or a UDP candidate");
        }
        if (candidate.isUnresolved() || candidate.getPort() == 0) {
            throw new OfferRejectedException(OfferRejectedException.Reason.UNSUPPORTED_OFFER,
                    "the edge's candidate is not an address: " + candidate.getHostString());
        }
        if (audio == null && video == null) {
            throw new OfferRejectedException(OfferRejectedException.Reason.NO_COMMON_CODEC,
                    "the edge accepted neither audio nor video");
        }
        DtlsFingerprint dtls = DtlsFingerprint.parse(fingerprint.algorithm() + " " + fingerprint.value());
        if (dtls == null) {
            throw new OfferRejectedException(OfferRejectedException.Reason.UNSUPPORTED_OFFER,
                    "the edge's fingerprint is not understood: " + fingerprint);
        }
        // We offered actpass: an answer of passive (or none, RFC 5763's default for an answerer) makes us the client.
        DtlsRole role = setup == Setup.ACTIVE ? DtlsRole.SERVER : DtlsRole.CLIENT;
        return new RelayAnswer(new RemoteParameters(ufrag, pwd, dtls, role), candidate, audio, video);
    }

    /** An IP literal and port, never resolved through DNS; anything else stays unresolved (and is refused). */
    private static InetSocketAddress literal(String address, int port) {
        boolean literal = !address.isEmpty() && address.chars().allMatch(ch -> Character.digit(ch, 16) >= 0
                || ch == '.' || ch == ':');
        if (literal && port > 0 && port < 65536) {
            try {
                return new InetSocketAddress(java.net.InetAddress.getByName(address), port);
            } catch (java.net.UnknownHostException e) {
                // not an address after all
            }
        }
        return InetSocketAddress.createUnresolved(address.isEmpty() ? "?" : address, Math.max(0, Math.min(port, 65535)));
    }

    private static Section section(MediaDescription media) {
        Map<Integer, Codec> codecs = new LinkedHashMap<>();
        boolean nack = false;
        for (RtpMap map : media.rtpMaps()) {
            Codec codec = Codec.fromEncodingName(map.encodingName());
            if (codec != null && media.formats().contains(Integer.toString(map.payloadType()))) {
                codecs.put(map.payloadType(), codec);
            }
        }
        for (RtcpFb fb : media.rtcpFbs()) {
            nack |= "nack".equals(fb.feedback());
        }
        if (codecs.isEmpty()) {
            return null;
        }
        Map<String, Integer> ids = new HashMap<>();
        int mid = 0;
        int rid = 0;
        for (Extmap extmap : media.extmaps()) {
            ids.put(extmap.uri(), extmap.id());
            if (extmap.uri().equals(ExtensionType.MID.uri())) {
                mid = extmap.id();
            } else if (extmap.uri().equals(ExtensionType.RID.uri())) {
                rid = extmap.id();
            }
        }
        return new Section(new CodecTable(codecs), ExtensionIds.fromUris(ids), mid, rid, nack);
    }
}
