package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * What every single-packet RTCP read view holds: the buffer region it is pointed at, the constant
 * reason of its last failed wrap, and the sender SSRC that follows the 4-byte header (RFC 3550
 * §6.4, RFC 4585 §6.1). Package-private base of the report and feedback views; subclasses do their
 * own checks in {@code wrap} between {@link #point} and {@link #result}.
 */
abstract class RtcpPacketView {
    /** The buffer of the last wrap. */
    ByteBuf buf;
    /** Absolute index of the RTCP header in {@link #buf}. */
    int offset;
    private String invalidReason;

    RtcpPacketView() {
    }

    /** Points the view at a packet before its checks run (they may read through the view). */
    final void point(ByteBuf buf, int offset) {
        this.buf = buf;
        this.offset = offset;
    }

    /** Records the outcome of the checks; true when {@code reason} is null. */
    final boolean result(String reason) {
        this.invalidReason = reason;
        return reason == null;
    }

    /** Constant reason for the last failed wrap, or {@code null}. */
    public String invalidReason() {
        return invalidReason;
    }

    /** SSRC of the packet's originator (unsigned 32-bit). */
    public long senderSsrc() {
        return buf.getUnsignedInt(offset + 4);
    }
}
