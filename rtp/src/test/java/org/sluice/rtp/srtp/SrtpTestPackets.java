package org.sluice.rtp.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.HexFormat;
import java.util.SplittableRandom;

/** Hex helpers and RTP/RTCP packet builders for the SRTP tests. */
final class SrtpTestPackets {

    private SrtpTestPackets() {
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static String hex(ByteBuf buf) {
        byte[] b = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), b);
        return hex(b);
    }

    /** A version-2 RTP packet with the given fields, {@code csrcs} CSRCs, an optional one-byte extension. */
    static byte[] rtp(int ssrc, int seq, long timestamp, int csrcs, boolean extension, int payloadLength, long seed) {
        int extLength = extension ? 4 + 8 : 0;
        byte[] p = new byte[12 + 4 * csrcs + extLength + payloadLength];
        p[0] = (byte) (0x80 | (extension ? 0x10 : 0) | csrcs);
        p[1] = (byte) 96;
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        PacketCipher.putInt(p, 4, (int) timestamp);
        PacketCipher.putInt(p, 8, ssrc);
        int at = 12;
        for (int i = 0; i < csrcs; i++, at += 4) {
            PacketCipher.putInt(p, at, 0x1000 + i);
        }
        if (extension) {
            p[at] = (byte) 0xbe;
            p[at + 1] = (byte) 0xde;
            p[at + 3] = 2;
            p[at + 4] = 0x10;
            p[at + 5] = 0x42;
            at += extLength;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = at; i < p.length; i++) {
            p[i] = (byte) random.nextInt(256);
        }
        return p;
    }

    /** An RTCP receiver report (one report block) from {@code ssrc} followed by an SDES CNAME chunk. */
    static byte[] rtcp(int ssrc, long seed) {
        byte[] p = new byte[32 + 20];
        p[0] = (byte) 0x81;
        p[1] = (byte) 201;
        p[3] = 7;
        PacketCipher.putInt(p, 4, ssrc);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 8; i < 32; i++) {
            p[i] = (byte) random.nextInt(256);
        }
        p[32] = (byte) 0x81;
        p[33] = (byte) 202;
        p[35] = 4;
        PacketCipher.putInt(p, 36, ssrc);
        p[40] = 1;
        p[41] = 6;
        System.arraycopy("sluice".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, p, 42, 6);
        return p;
    }

    static ByteBuf heap(byte[] content, int extra) {
        ByteBuf b = Unpooled.buffer(content.length + extra);
        b.writeBytes(content);
        return b;
    }

    static ByteBuf direct(byte[] content, int extra) {
        ByteBuf b = Unpooled.directBuffer(content.length + extra);
        b.writeBytes(content);
        return b;
    }

    static byte[] bytes(ByteBuf buf) {
        byte[] b = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), b);
        return b;
    }
}
