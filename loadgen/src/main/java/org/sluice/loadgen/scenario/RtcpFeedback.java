package org.sluice.loadgen.scenario;

import io.netty.buffer.ByteBuf;

/** Finds key-frame requests (PLI, FIR: RFC 4585 §6.3.1, RFC 5104 §4.3.1) in a plain RTCP compound; bounds-checked. */
final class RtcpFeedback {

    private static final int PAYLOAD_SPECIFIC = 206;
    private static final int FMT_PLI = 1;
    private static final int FMT_FIR = 4;

    private RtcpFeedback() {
    }

    /** Whether the compound in {@code compound}'s readable bytes holds a PLI or FIR. */
    static boolean requestsKeyFrame(ByteBuf compound) {
        int at = compound.readerIndex();
        int end = compound.writerIndex();
        while (end - at >= 4) {
            int first = compound.getUnsignedByte(at);
            if ((first >>> 6) != 2) {
                return false;
            }
            int packetType = compound.getUnsignedByte(at + 1);
            int length = (compound.getUnsignedShort(at + 2) + 1) * 4;
            if (length > end - at) {
                return false;
            }
            int fmt = first & 0x1F;
            if (packetType == PAYLOAD_SPECIFIC && (fmt == FMT_PLI || fmt == FMT_FIR)) {
                return true;
            }
            at += length;
        }
        return false;
    }
}
