package org.sluice.core.sdp;

/**
 * {@code a=rtcp-fb:<format or *> <type> [<subtype>]} (RFC 4585), e.g. {@code 96 nack pli}; {@code subtype} is
 * {@code null} when absent.
 */
public record RtcpFb(String format, String type, String subtype) {

    /** The feedback without its format, e.g. {@code nack pli}. */
    public String feedback() {
        return subtype == null ? type : type + " " + subtype;
    }

    @Override
    public String toString() {
        return format + " " + feedback();
    }
}
