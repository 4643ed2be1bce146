package org.sluice.loadgen.media;

import io.netty.buffer.ByteBuf;

/**
 * Reads whether a VP8 RTP payload (RFC 7741) begins a frame, and which kind: the payload descriptor's S bit
 * and partition index, then the frame tag's P bit (RFC 6386 §9.1, 0 on key frames). Bounds-checked; a payload
 * too short to say is {@link #NOT_A_START}.
 */
public final class Vp8FrameStart {

    /** Not the first packet of a frame (or not readable). */
    public static final int NOT_A_START = 0;
    /** The first packet of an inter frame. */
    public static final int INTER_FRAME = 1;
    /** The first packet of a key frame. */
    public static final int KEY_FRAME = 2;

    private Vp8FrameStart() {
    }

    /** What the payload in {@code buf} from {@code start} to {@code end} (exclusive) starts. */
    public static int of(ByteBuf buf, int start, int end) {
        if (end - start < 1) {
            return NOT_A_START;
        }
        int first = buf.getUnsignedByte(start);
        boolean startOfPartition = (first & 0x10) != 0;
        int partition = first & 0x07;
        if (!startOfPartition || partition != 0) {
            return NOT_A_START;
        }
        int at = start + 1;
        if ((first & 0x80) != 0) { // X: an extension byte follows
            if (at >= end) {
                return NOT_A_START;
            }
            int extension = buf.getUnsignedByte(at++);
            if ((extension & 0x80) != 0) { // I: a PictureID, 15 bits when M
                if (at >= end) {
                    return NOT_A_START;
                }
                at += (buf.getUnsignedByte(at) & 0x80) != 0 ? 2 : 1;
            }
            if ((extension & 0x40) != 0) { // L: TL0PICIDX
                at++;
            }
            if ((extension & 0x30) != 0) { // T or K: TID/Y/KEYIDX
                at++;
            }
        }
        if (at >= end) {
            return NOT_A_START;
        }
        return (buf.getUnsignedByte(at) & 0x01) == 0 ? KEY_FRAME : INTER_FRAME;
    }
}
