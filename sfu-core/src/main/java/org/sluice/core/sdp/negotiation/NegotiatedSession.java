package org.sluice.core.sdp.negotiation;

import java.util.List;
import org.sluice.core.sdp.Candidate;
import org.sluice.core.sdp.Fingerprint;
import org.sluice.core.sdp.SdpWriter;
import org.sluice.core.sdp.SessionDescription;

/**
 * The result of answering an offer: the answer itself and what the transport and forwarding need from it.
 *
 * @param answer                the answer model; {@link #answerSdp()} writes it
 * @param remoteIceUfrag        the offerer's ICE username fragment (of the BUNDLE transport)
 * @param remoteIcePwd          the offerer's ICE password
 * @param remoteFingerprints    the offerer's DTLS certificate fingerprints
 * @param dtlsRole              our DTLS role
 * @param remoteCandidates      candidates of the offer's BUNDLE-tagged m-section, without duplicates
 * @param remoteEndOfCandidates whether the offer said {@code a=end-of-candidates}
 * @param extmapAllowMixed      whether one- and two-byte header extensions may be mixed
 * @param media                 one entry per offered m-section, in order
 */
public record NegotiatedSession(SessionDescription answer, String remoteIceUfrag, String remoteIcePwd,
        List<Fingerprint> remoteFingerprints, DtlsRole dtlsRole, List<Candidate> remoteCandidates,
        boolean remoteEndOfCandidates, boolean extmapAllowMixed, List<NegotiatedMedia> media) {

    public NegotiatedSession {
        remoteFingerprints = List.copyOf(remoteFingerprints);
        remoteCandidates = List.copyOf(remoteCandidates);
        media = List.copyOf(media);
    }

    /** The answer as SDP text. */
    public String answerSdp() {
        return SdpWriter.write(answer);
    }

    /** The offerer's preferred fingerprint: the first with sha-256, else the first. */
    public Fingerprint remoteFingerprint() {
        for (Fingerprint f : remoteFingerprints) {
            if (f.algorithm().equalsIgnoreCase("sha-256")) {
                return f;
            }
        }
        return remoteFingerprints.get(0);
    }

    /** The mids of the m-sections the answer accepted, in order (the answer's BUNDLE group). */
    public List<String> acceptedMids() {
        return media.stream().filter(m -> !m.rejected()).map(NegotiatedMedia::mid).toList();
    }
}
