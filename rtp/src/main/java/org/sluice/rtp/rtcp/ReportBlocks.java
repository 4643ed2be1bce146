package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;

/** Reads and writes the 24-byte report block of SR/RR (RFC 3550 §6.4.1). Package-private helper. */
final class ReportBlocks {
    static final int SIZE = 24;

    private ReportBlocks() {
    }

    static long ssrc(ByteBuf buf, int at) {
        return buf.getUnsignedInt(at);
    }

    static int fractionLost(ByteBuf buf, int at) {
        return buf.getUnsignedByte(at + 4);
    }

    static int cumulativeLost(ByteBuf buf, int at) {
        int v = buf.getUnsignedMedium(at + 5);
        return (v << 8) >> 8;
    }

    static long extendedHighestSequence(ByteBuf buf, int at) {
        return buf.getUnsignedInt(at + 8);
    }

    static long jitter(ByteBuf buf, int at) {
        return buf.getUnsignedInt(at + 12);
    }

    static long lastSr(ByteBuf buf, int at) {
        return buf.getUnsignedInt(at + 16);
    }

    static long delaySinceLastSr(ByteBuf buf, int at) {
        return buf.getUnsignedInt(at + 20);
    }

    static void write(ByteBuf out, ReportBlock b) {
        out.writeInt((int) b.ssrc());
        out.writeByte(b.fractionLost());
        out.writeMedium(clampLost(b.cumulativeLost()));
        out.writeInt((int) b.extendedHighestSequence());
        out.writeInt((int) b.jitter());
        out.writeInt((int) b.lastSr());
        out.writeInt((int) b.delaySinceLastSr());
    }

    /** Clamps to the signed 24-bit range, as RFC 3550 §6.4.1 (and libwebrtc) do. */
    static int clampLost(int lost) {
        return Math.max(-0x800000, Math.min(0x7FFFFF, lost));
    }
}
