package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/** Read view of a goodbye packet (RFC 3550 §6.6): SSRC/CSRC list and optional reason. */
public final class ByeView {
    /** Reason when the SSRC list does not fit. */
    public static final String SSRCS_PAST_END = "BYE SSRC list exceeds the packet";
    /** Reason when the reason text does not fit. */
    public static final String REASON_PAST_END = "BYE reason exceeds the packet";

    private ByteBuf buf;
    private int offset;
    private int reasonAt;
    private String invalidReason;

    /** Points the view at one BYE packet; false (see {@link #invalidReason()}) when malformed. */
    public boolean wrap(ByteBuf buf, int offset, int length) {
        this.buf = buf;
        this.offset = offset;
        this.reasonAt = -1;
        String reason = RtcpHeader.check(buf, offset, length, RtcpPacketType.BYE);
        if (reason == null) {
            int end = offset + length - RtcpHeader.padding(buf, offset, length);
            int p = offset + 4 + RtcpHeader.countOrFmt(buf, offset) * 4;
            if (p > end) {
                reason = SSRCS_PAST_END;
            } else if (p < end && buf.getUnsignedByte(p) > 0) {
                if (p + 1 + buf.getUnsignedByte(p) > end) {
                    reason = REASON_PAST_END;
                } else {
                    reasonAt = p;
                }
            }
        }
        invalidReason = reason;
        return reason == null;
    }

    /** Constant reason for the last failed wrap, or {@code null}. */
    public String invalidReason() {
        return invalidReason;
    }

    /** Number of SSRC/CSRC identifiers (SC). */
    public int ssrcCount() {
        return RtcpHeader.countOrFmt(buf, offset);
    }

    /** The i-th SSRC/CSRC. */
    public long ssrc(int i) {
        if (i < 0 || i >= ssrcCount()) {
            throw new IndexOutOfBoundsException(i);
        }
        return buf.getUnsignedInt(offset + 4 + 4 * i);
    }

    /** Whether a non-empty reason for leaving is present. */
    public boolean hasReason() {
        return reasonAt >= 0;
    }

    /** Offset of the reason text, or -1. */
    public int reasonOffset() {
        return reasonAt < 0 ? -1 : reasonAt + 1;
    }

    /** Length of the reason text in bytes, 0 when absent. */
    public int reasonLength() {
        return reasonAt < 0 ? 0 : buf.getUnsignedByte(reasonAt);
    }

    /** The reason as a String (allocates), or {@code null}. */
    public String reason() {
        return reasonAt < 0 ? null : buf.toString(reasonAt + 1, reasonLength(), StandardCharsets.UTF_8);
    }
}
