package org.sluice.core.sdp;

/** {@code a=ssrc:<ssrc> <attribute>[:<value>]} (RFC 5576), e.g. {@code 1234 cname:abc}; {@code value} may be null. */
public record SsrcAttribute(long ssrc, String attribute, String value) {

    @Override
    public String toString() {
        return value == null ? ssrc + " " + attribute : ssrc + " " + attribute + ":" + value;
    }
}
