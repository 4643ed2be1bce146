package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/** Writes SDES packets (RFC 3550 §6.5) carrying CNAME items. */
public final class SdesWriter {
    /** Longest item text, in UTF-8 bytes. */
    public static final int MAX_TEXT = 255;

    private SdesWriter() {
    }

    /**
     * Appends an SDES packet with one chunk holding the CNAME of {@code ssrc}, the item list
     * terminated by a null octet and padded with nulls to a 32-bit boundary. Returns bytes written.
     *
     * @throws IllegalArgumentException when the CNAME exceeds 255 UTF-8 bytes
     */
    public static int writeCname(ByteBuf out, long ssrc, String cname) {
        byte[] text = cname.getBytes(StandardCharsets.UTF_8);
        if (text.length > MAX_TEXT) {
            throw new IllegalArgumentException("CNAME longer than 255 bytes");
        }
        int chunk = chunkLength(text.length);
        int length = 4 + chunk;
        RtcpHeader.write(out, 1, RtcpPacketType.SDES, length);
        writeChunk(out, ssrc, text);
        return length;
    }

    /** Appends an SDES packet with one CNAME chunk per SSRC (at most 31). Returns bytes written. */
    public static int writeCnames(ByteBuf out, long[] ssrcs, String[] cnames) {
        if (ssrcs.length != cnames.length || ssrcs.length > 31) {
            throw new IllegalArgumentException("need matching arrays of at most 31 entries");
        }
        byte[][] texts = new byte[cnames.length][];
        int length = 4;
        for (int i = 0; i < cnames.length; i++) {
            texts[i] = cnames[i].getBytes(StandardCharsets.UTF_8);
            if (texts[i].length > MAX_TEXT) {
                throw new IllegalArgumentException("CNAME longer than 255 bytes");
            }
            length += chunkLength(texts[i].length);
        }
        RtcpHeader.write(out, ssrcs.length, RtcpPacketType.SDES, length);
        for (int i = 0; i < ssrcs.length; i++) {
            writeChunk(out, ssrcs[i], texts[i]);
        }
        return length;
    }

    /** SSRC + type + length + text + at least one null, rounded up to 4. */
    private static int chunkLength(int textLength) {
        return (4 + 2 + textLength + 1 + 3) & ~3;
    }

    private static void writeChunk(ByteBuf out, long ssrc, byte[] text) {
        out.writeInt((int) ssrc);
        out.writeByte(SdesView.CNAME);
        out.writeByte(text.length);
        out.writeBytes(text);
        out.writeZero(chunkLength(text.length) - 6 - text.length);
    }
}
