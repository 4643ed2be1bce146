package org.sluice.core.sdp.negotiation;

import java.util.ArrayList;
import java.util.List;
import org.sluice.core.sdp.Candidate;
import org.sluice.core.sdp.Fingerprint;
import org.sluice.core.sdp.SdpParseException;

/**
 * What the server offers to an answer: codecs and header extensions it forwards, its ICE credentials and candidates,
 * whether it is ICE-lite, its DTLS certificate fingerprint and the o= session id. Build with
 * {@link #builder(String, String, Fingerprint)}.
 *
 * @param codecs           supported codecs, in the order they are tried against each offered payload type
 * @param headerExtensions supported RTP header extension URIs
 * @param iceUfrag         our ICE username fragment
 * @param icePwd           our ICE password
 * @param fingerprint      our DTLS certificate fingerprint
 * @param candidates       our ICE candidates
 * @param iceLite          whether the answer says {@code a=ice-lite}
 * @param originSessionId  the o= line session id (digits)
 */
public record LocalCapabilities(List<CodecCapability> codecs, List<String> headerExtensions, String iceUfrag,
        String icePwd, Fingerprint fingerprint, List<Candidate> candidates, boolean iceLite, String originSessionId) {

    /** RTP header extensions Sluice uses. */
    public static final List<String> DEFAULT_HEADER_EXTENSIONS = List.of(
            "urn:ietf:params:rtp-hdrext:sdes:mid",
            "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
            "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id",
            "urn:ietf:params:rtp-hdrext:ssrc-audio-level",
            "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
            "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
            "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension");

    public LocalCapabilities {
        codecs = List.copyOf(codecs);
        headerExtensions = List.copyOf(headerExtensions);
        candidates = List.copyOf(candidates);
        if (iceUfrag == null || icePwd == null || fingerprint == null || originSessionId == null) {
            throw new IllegalArgumentException("ICE credentials, fingerprint and session id are required");
        }
        if (originSessionId.isEmpty() || originSessionId.length() > 20 || !originSessionId.chars().allMatch(
                Character::isDigit)) {
            throw new IllegalArgumentException("origin session id must be 1-20 digits");
        }
    }

    /** A builder with the default codecs and header extensions, ICE-lite, no candidates. */
    public static Builder builder(String iceUfrag, String icePwd, Fingerprint fingerprint) {
        return new Builder(iceUfrag, icePwd, fingerprint);
    }

    /** Builder for {@link LocalCapabilities}. */
    public static final class Builder {
        private final String iceUfrag;
        private final String icePwd;
        private final Fingerprint fingerprint;
        private List<CodecCapability> codecs = CodecCapability.defaults();
        private List<String> headerExtensions = DEFAULT_HEADER_EXTENSIONS;
        private final List<Candidate> candidates = new ArrayList<>();
        private boolean iceLite = true;
        private String originSessionId = "1";

        private Builder(String iceUfrag, String icePwd, Fingerprint fingerprint) {
            this.iceUfrag = iceUfrag;
            this.icePwd = icePwd;
            this.fingerprint = fingerprint;
        }

        public Builder codecs(List<CodecCapability> value) {
            codecs = List.copyOf(value);
            return this;
        }

        public Builder headerExtensions(List<String> value) {
            headerExtensions = List.copyOf(value);
            return this;
        }

        /**
         * Adds candidates given as text, with or without the {@code candidate:} prefix.
         *
         * @throws IllegalArgumentException if one is not a valid candidate
         */
        public Builder candidates(List<String> value) {
            for (String c : value) {
                try {
                    candidates.add(Candidate.parse(c));
                } catch (SdpParseException e) {
                    throw new IllegalArgumentException("bad local candidate: " + e.getMessage(), e);
                }
            }
            return this;
        }

        public Builder iceLite(boolean value) {
            iceLite = value;
            return this;
        }

        public Builder originSessionId(long value) {
            originSessionId = Long.toUnsignedString(value);
            return this;
        }

        public LocalCapabilities build() {
            return new LocalCapabilities(codecs, headerExtensions, iceUfrag, icePwd, fingerprint, candidates,
                    iceLite, originSessionId);
        }
    }
}
