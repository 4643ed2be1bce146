package org.sluice.core.stun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Hex helpers for STUN tests. */
final class StunTestBytes {

    private StunTestBytes() {
    }

    static byte[] hex(String text) {
        String digits = text.replaceAll("[^0-9a-fA-F]", "");
        byte[] out = new byte[digits.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    static ByteBuf heap(String hexText) {
        return Unpooled.wrappedBuffer(hex(hexText));
    }

    static ByteBuf direct(byte[] bytes) {
        ByteBuf buf = Unpooled.directBuffer(bytes.length);
        buf.writeBytes(bytes);
        return buf;
    }
}
