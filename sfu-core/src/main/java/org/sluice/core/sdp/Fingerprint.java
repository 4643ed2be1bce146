package org.sluice.core.sdp;

/** {@code a=fingerprint:<hash-func> <fingerprint>} (RFC 8122), e.g. {@code sha-256 AB:CD:...}. */
public record Fingerprint(String algorithm, String value) {

    @Override
    public String toString() {
        return algorithm + " " + value;
    }
}
