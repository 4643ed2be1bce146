package org.sluice.core.testing;

import java.util.Arrays;

/** Minimal, well-formed media payloads the engine's codec views accept. */
public final class Payloads {

    private Payloads() {
    }

    /**
     * A VP8 key frame's first packet (RFC 7741): payload descriptor {@code 0x10} (start of partition 0),
     * frame tag with P=0 and show_frame=1, the start code {@code 9d 01 2a} and a 640x480 size, then
     * {@code fill} bytes of {@code marker} so payloads can be told apart.
     */
    public static byte[] vp8KeyFrame(int fill, byte marker) {
        byte[] head = {0x10, 0x10, 0x02, 0x00, (byte) 0x9d, 0x01, 0x2a, (byte) 0x80, 0x02, (byte) 0xe0, 0x01};
        return withFill(head, fill, marker);
    }

    /** A VP8 inter frame's first packet: descriptor {@code 0x10}, frame tag with P=1. */
    public static byte[] vp8DeltaFrame(int fill, byte marker) {
        byte[] head = {0x10, 0x11, 0x02, 0x00};
        return withFill(head, fill, marker);
    }

    /** An Opus packet: a TOC byte (CELT fullband 20 ms, mono, one frame) and {@code fill} bytes. */
    public static byte[] opus(int fill, byte marker) {
        return withFill(new byte[] {(byte) 0xfc}, fill, marker);
    }

    private static byte[] withFill(byte[] head, int fill, byte marker) {
        byte[] out = Arrays.copyOf(head, head.length + fill);
        Arrays.fill(out, head.length, out.length, marker);
        return out;
    }
}
