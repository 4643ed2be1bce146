package org.sluice.core.testing;

import org.sluice.core.dtls.DtlsFingerprint;
import org.sluice.core.sdp.Fingerprint;
import org.sluice.core.sdp.MediaDescription;
import org.sluice.core.sdp.SdpParseException;
import org.sluice.core.sdp.SdpParser;
import org.sluice.core.sdp.SessionDescription;
import org.sluice.core.sdp.Setup;
import org.sluice.core.sdp.TransportAttributes;
import org.sluice.core.sdp.SsrcAttribute;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * What a {@link SimulatedPeer} needs from the server's answer: ICE credentials, the DTLS fingerprint
 * and setup role, the first UDP host candidate, and per media kind the SSRC the server sends with and
 * the first payload type.
 */
public record PeerAnswer(String iceUfrag, String icePwd, DtlsFingerprint fingerprint, Setup setup,
                         InetSocketAddress udpCandidate, Map<String, Long> ssrcByKind,
                         Map<String, Integer> payloadTypeByKind, SessionDescription sdp) {

    /** Parses an answer with {@link SdpParser}; fails with {@link IllegalArgumentException} on what a peer cannot use. */
    public static PeerAnswer parse(String answerSdp) {
        SessionDescription sdp;
        try {
            sdp = SdpParser.parse(answerSdp);
        } catch (SdpParseException e) {
            throw new IllegalArgumentException("answer does not parse: " + e.getMessage(), e);
        }
        TransportAttributes transport = TransportAttributes.of(sdp);
        String ufrag = transport.iceUfrag();
        String pwd = transport.icePwd();
        Fingerprint fingerprint = transport.fingerprint();
        Setup setup = transport.setup();
        InetSocketAddress candidate = transport.udpCandidate() == null ? null
                : new InetSocketAddress(transport.udpCandidate().address(), transport.udpCandidate().port());
        Map<String, Long> ssrcs = new HashMap<>();
        Map<String, Integer> payloadTypes = new HashMap<>();
        for (MediaDescription media : sdp.media()) {
            if (media.port() == 0) {
                continue;
            }
            for (SsrcAttribute ssrc : media.ssrcs()) {
                ssrcs.putIfAbsent(media.kind(), ssrc.ssrc());
            }
            if (!media.formats().isEmpty()) {
                payloadTypes.putIfAbsent(media.kind(), Integer.parseInt(media.formats().get(0)));
            }
        }
        if (ufrag == null || pwd == null || fingerprint == null || candidate == null) {
            throw new IllegalArgumentException("answer lacks ICE credentials, fingerprint or a UDP candidate");
        }
        DtlsFingerprint dtls = DtlsFingerprint.parse(fingerprint.algorithm() + " " + fingerprint.value());
        if (dtls == null) {
            throw new IllegalArgumentException("answer fingerprint not understood: " + fingerprint);
        }
        return new PeerAnswer(ufrag, pwd, dtls, setup, candidate, Map.copyOf(ssrcs), Map.copyOf(payloadTypes), sdp);
    }

    /** The SSRC the server sends {@code kind} ("audio"/"video") with; fails if the answer has none. */
    public long ssrc(String kind) {
        Long ssrc = ssrcByKind.get(kind);
        if (ssrc == null) {
            throw new IllegalStateException("the answer announces no SSRC for " + kind);
        }
        return ssrc;
    }

    /** Our RTX SSRC for {@code kind}: the second SSRC of the answer's FID group, or -1 without RTX. */
    public long rtxSsrc(String kind) {
        for (MediaDescription media : sdp.media()) {
            if (media.kind().equals(kind) && media.port() != 0) {
                for (org.sluice.core.sdp.SsrcGroup group : media.ssrcGroups()) {
                    if ("FID".equals(group.semantics()) && group.ssrcs().size() == 2) {
                        return group.ssrcs().get(1);
                    }
                }
            }
        }
        return -1;
    }

    /** The first payload type of {@code kind}'s section. */
    public int payloadType(String kind) {
        Integer pt = payloadTypeByKind.get(kind);
        if (pt == null) {
            throw new IllegalStateException("the answer has no " + kind + " section");
        }
        return pt;
    }
}
