package org.sluice.loadgen.peer;

import org.sluice.core.dtls.DtlsFingerprint;
import org.sluice.core.sdp.Fingerprint;
import org.sluice.core.sdp.SdpParseException;
import org.sluice.core.sdp.SdpParser;
import org.sluice.core.sdp.SessionDescription;
import org.sluice.core.sdp.Setup;
import org.sluice.core.sdp.TransportAttributes;

import java.net.InetSocketAddress;

/**
 * What a client needs from the server's answer: ICE credentials, the DTLS fingerprint and role, and
 * the first UDP host candidate (the SFU is ICE-lite, so that is where our checks go).
 */
public record ServerAnswer(String iceUfrag, String icePwd, DtlsFingerprint fingerprint, Setup setup,
                           InetSocketAddress udpCandidate) {

    /** Parses {@code sdp}; fails with {@link IllegalArgumentException} when something a client needs is missing. */
    public static ServerAnswer parse(String sdp) {
        SessionDescription parsed;
        try {
            parsed = SdpParser.parse(sdp);
        } catch (SdpParseException e) {
            throw new IllegalArgumentException("answer does not parse: " + e.getMessage(), e);
        }
        TransportAttributes transport = TransportAttributes.of(parsed);
        String ufrag = transport.iceUfrag();
        String pwd = transport.icePwd();
        Setup setup = transport.setup();
        Fingerprint fingerprint = transport.fingerprint();
        InetSocketAddress candidate = transport.udpCandidate() == null ? null
                : new InetSocketAddress(transport.udpCandidate().address(), transport.udpCandidate().port());
        if (ufrag == null || pwd == null || fingerprint == null || candidate == null) {
            throw new IllegalArgumentException("answer lacks ICE credentials, a fingerprint or a UDP candidate");
        }
        if (setup != Setup.PASSIVE) {
            throw new IllegalArgumentException("the client runs DTLS as client; the answer says setup " + setup);
        }
        DtlsFingerprint dtls = DtlsFingerprint.parse(fingerprint.algorithm() + " " + fingerprint.value());
        if (dtls == null) {
            throw new IllegalArgumentException("answer fingerprint not understood: " + fingerprint);
        }
        return new ServerAnswer(ufrag, pwd, dtls, setup, candidate);
    }
}
