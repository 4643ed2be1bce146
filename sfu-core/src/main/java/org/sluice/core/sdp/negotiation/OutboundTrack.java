package org.sluice.core.sdp.negotiation;

/**
 * A track the server sends in an m-section (to a WHEP viewer or a conference participant), written into the answer
 * as {@code a=msid}, {@code a=ssrc} lines (cname, msid) and, when RTX is negotiated and {@code rtxSsrc >= 0}, an
 * {@code a=ssrc-group:FID}.
 *
 * @param kind     {@code audio} or {@code video}
 * @param streamId the msid stream id
 * @param trackId  the msid track id
 * @param ssrc     the media SSRC (0 to 2^32-1)
 * @param rtxSsrc  the RTX SSRC, or -1 for none
 * @param cname    the RTCP CNAME
 */
public record OutboundTrack(String kind, String streamId, String trackId, long ssrc, long rtxSsrc, String cname) {

    public OutboundTrack {
        if (ssrc < 0 || ssrc > 0xFFFF_FFFFL || rtxSsrc > 0xFFFF_FFFFL || rtxSsrc < -1) {
            throw new IllegalArgumentException("SSRCs must be 32-bit unsigned (rtxSsrc -1 for none)");
        }
        if (streamId.isEmpty() || trackId.isEmpty() || cname.isEmpty() || streamId.contains(" ")
                || trackId.contains(" ") || cname.contains(" ")) {
            throw new IllegalArgumentException("msid ids and cname must be non-empty without spaces");
        }
    }

    /** Whether an RTX SSRC is set. */
    public boolean hasRtx() {
        return rtxSsrc >= 0;
    }
}
