package org.sluice.core.sdp;

/**
 * The transport attributes of a BUNDLEd description as a peer that connects to it needs them: ICE credentials, DTLS
 * setup and fingerprint, each taken at session level or else from the first active section (port not 0) that has it,
 * and the first UDP candidate of the active sections. Any of them is null when the description lacks it; what is
 * required is the caller's policy.
 */
public record TransportAttributes(String iceUfrag, String icePwd, Setup setup, Fingerprint fingerprint,
                                  Candidate udpCandidate) {

    /** Reads them from {@code sdp}. */
    public static TransportAttributes of(SessionDescription sdp) {
        String ufrag = sdp.iceUfrag();
        String pwd = sdp.icePwd();
        Setup setup = sdp.setup();
        Fingerprint fingerprint = sdp.fingerprints().isEmpty() ? null : sdp.fingerprints().get(0);
        Candidate candidate = null;
        for (MediaDescription media : sdp.media()) {
            if (media.port() == 0) {
                continue;
            }
            ufrag = ufrag != null ? ufrag : media.iceUfrag();
            pwd = pwd != null ? pwd : media.icePwd();
            setup = setup != null ? setup : media.setup();
            if (fingerprint == null && !media.fingerprints().isEmpty()) {
                fingerprint = media.fingerprints().get(0);
            }
            for (Candidate c : media.candidates()) {
                if (candidate == null && "udp".equalsIgnoreCase(c.transport())) {
                    candidate = c;
                }
            }
        }
        return new TransportAttributes(ufrag, pwd, setup, fingerprint, candidate);
    }
}
