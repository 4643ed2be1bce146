package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/** Writes goodbye packets (RFC 3550 §6.6). */
public final class ByeWriter {
    private ByeWriter() {
    }

    /**
     * Appends a BYE for up to 31 sources with an optional reason (null or empty for none, at most 255
     * UTF-8 bytes), padded with nulls to 32 bits. Returns the bytes written.
     */
    public static int write(ByteBuf out, long[] ssrcs, String reason) {
        if (ssrcs.length > 31) {
            throw new IllegalArgumentException("more than 31 SSRCs");
        }
        byte[] text = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        if (text.length > 255) {
            throw new IllegalArgumentException("reason longer than 255 bytes");
        }
        int reasonBytes = text.length == 0 ? 0 : (1 + text.length + 3) & ~3;
        int length = 4 + 4 * ssrcs.length + reasonBytes;
        RtcpHeader.write(out, ssrcs.length, RtcpPacketType.BYE, length);
        for (long ssrc : ssrcs) {
            out.writeInt((int) ssrc);
        }
        if (text.length > 0) {
            out.writeByte(text.length);
            out.writeBytes(text);
            out.writeZero(reasonBytes - 1 - text.length);
        }
        return length;
    }
}
