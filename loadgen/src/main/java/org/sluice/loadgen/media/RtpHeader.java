package org.sluice.loadgen.media;

import io.netty.buffer.ByteBuf;

/** Writes the 12-byte RTP fixed header (RFC 3550 §5.1): version 2, no padding, extension or CSRCs. */
final class RtpHeader {

    static final int LENGTH = 12;

    private RtpHeader() {
    }

    static void write(ByteBuf out, boolean marker, int payloadType, int sequence, long timestamp, long ssrc) {
        out.writeByte(0x80);
        out.writeByte((marker ? 0x80 : 0) | (payloadType & 0x7F));
        out.writeShort(sequence & 0xFFFF);
        out.writeInt((int) timestamp);
        out.writeInt((int) ssrc);
    }
}
