package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * The part RTPFB/PSFB read views share (RFC 4585 §6.1): {@link #wrap} checks the RTCP header, the
 * packet type, the FMT and the 12-byte feedback header through {@link FeedbackHeader}, then lets the
 * view check its own FCI; the media source SSRC is read here. Package-private base of
 * {@link NackView} and {@link FirView} (through {@link FeedbackListView}), {@link PliView} and
 * {@link RembView}.
 */
abstract class FeedbackPacketView extends RtcpPacketView {
    private final int packetType;
    private final int fmt;

    /**
     * @param packetType RTPFB or PSFB
     * @param fmt        the FMT the view reads
     */
    FeedbackPacketView(int packetType, int fmt) {
        this.packetType = packetType;
        this.fmt = fmt;
    }

    /** Points the view at one feedback packet; false (see {@link #invalidReason()}) when malformed. */
    public boolean wrap(ByteBuf buf, int offset, int length) {
        point(buf, offset);
        clearFci();
        String reason = FeedbackHeader.check(buf, offset, length, packetType, fmt);
        if (reason == null) {
            reason = checkFci(FeedbackHeader.fciLength(buf, offset, length));
        }
        return result(reason);
    }

    /** Forgets what the last {@link #checkFci} recorded; called at the start of every wrap. */
    void clearFci() {
    }

    /**
     * Checks the FCI of a packet whose headers are valid (the view already points at it).
     *
     * @param fciLength bytes after the 12-byte feedback header, padding excluded
     * @return {@code null} when valid, otherwise the view's constant reason
     */
    abstract String checkFci(int fciLength);

    /** The media source SSRC of the feedback header. */
    public long mediaSsrc() {
        return buf.getUnsignedInt(offset + 8);
    }
}
