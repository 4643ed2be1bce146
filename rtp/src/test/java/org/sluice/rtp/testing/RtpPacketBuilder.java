package org.sluice.rtp.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds RTP packets (RFC 3550) for tests: fixed header, CSRCs, an RFC 8285 header extension in
 * one-byte or two-byte form (or raw extension bytes with any profile), payload and padding.
 *
 * <pre>{@code
 * ByteBuf packet = new RtpPacketBuilder().payloadType(96).sequenceNumber(1).ssrc(0x1234)
 *         .oneByteExtension(3, 0x01, 0x02).payload(new byte[100]).build();
 * }</pre>
 *
 * <p>The builder is mutable and reusable. {@link #toBytes()} gives the exact bytes; {@link #build()}
 * and {@link #buildInto(ByteBuf)} write them into a buffer the caller must release.
 */
public final class RtpPacketBuilder {

    private int version = 2;
    private boolean marker;
    private int payloadType;
    private int sequenceNumber;
    private long timestamp;
    private long ssrc;
    private final List<Long> csrcs = new ArrayList<>();
    private int extensionForm; // 0 none, 1 one-byte, 2 two-byte, 3 raw
    private int twoByteAppBits;
    private final ByteArrayOutputStream extension = new ByteArrayOutputStream();
    private int rawProfile;
    private int extensionPaddingBetween;
    private byte[] payload = new byte[0];
    private int padding;
    private int extraCapacity;

    public RtpPacketBuilder version(int version) {
        this.version = version;
        return this;
    }

    public RtpPacketBuilder marker(boolean marker) {
        this.marker = marker;
        return this;
    }

    public RtpPacketBuilder payloadType(int payloadType) {
        this.payloadType = payloadType;
        return this;
    }

    public RtpPacketBuilder sequenceNumber(int sequenceNumber) {
        this.sequenceNumber = sequenceNumber;
        return this;
    }

    public RtpPacketBuilder timestamp(long timestamp) {
        this.timestamp = timestamp;
        return this;
    }

    public RtpPacketBuilder ssrc(long ssrc) {
        this.ssrc = ssrc;
        return this;
    }

    public RtpPacketBuilder csrc(long csrc) {
        csrcs.add(csrc);
        return this;
    }

    /** Puts {@code count} zero padding bytes before each following extension element. */
    public RtpPacketBuilder extensionPaddingBetween(int count) {
        this.extensionPaddingBetween = count;
        return this;
    }

    /** Appends a one-byte-form element (id 1..14, 1..16 data bytes). */
    public RtpPacketBuilder oneByteExtension(int id, int... data) {
        requireForm(1);
        if (id < 1 || id > 14 || data.length < 1 || data.length > 16) {
            throw new IllegalArgumentException("one-byte element needs id 1..14 and 1..16 bytes");
        }
        writePadding();
        extension.write((id << 4) | (data.length - 1));
        for (int b : data) {
            extension.write(b);
        }
        return this;
    }

    /** Appends a one-byte-form element with the given bytes. */
    public RtpPacketBuilder oneByteExtension(int id, byte[] data) {
        return oneByteExtension(id, toInts(data));
    }

    /** Appends a two-byte-form element (id 1..255, 0..255 data bytes). */
    public RtpPacketBuilder twoByteExtension(int id, int... data) {
        requireForm(2);
        if (id < 1 || id > 255 || data.length > 255) {
            throw new IllegalArgumentException("two-byte element needs id 1..255 and 0..255 bytes");
        }
        writePadding();
        extension.write(id);
        extension.write(data.length);
        for (int b : data) {
            extension.write(b);
        }
        return this;
    }

    /** Appends a two-byte-form element with the given bytes. */
    public RtpPacketBuilder twoByteExtension(int id, byte[] data) {
        return twoByteExtension(id, toInts(data));
    }

    /** The 4 "appbits" of the two-byte profile 0x100X. */
    public RtpPacketBuilder twoByteAppBits(int appBits) {
        this.twoByteAppBits = appBits & 0x0F;
        return this;
    }

    /** A raw extension: any profile, data used as is (padded with zeros to a 32-bit multiple). */
    public RtpPacketBuilder rawExtension(int profile, byte[] data) {
        requireForm(3);
        this.rawProfile = profile;
        extension.writeBytes(data);
        return this;
    }

    /** An extension header with the given profile and no data. */
    public RtpPacketBuilder emptyExtension(int profile) {
        return rawExtension(profile, new byte[0]);
    }

    public RtpPacketBuilder payload(byte[] payload) {
        this.payload = payload.clone();
        return this;
    }

    /** Padding bytes at the end including the count byte (0 = no P bit). */
    public RtpPacketBuilder padding(int padding) {
        if (padding < 0 || padding > 255) {
            throw new IllegalArgumentException("padding 0..255");
        }
        this.padding = padding;
        return this;
    }

    /** Writable bytes {@link #build()} leaves after the packet, for tests that grow it. */
    public RtpPacketBuilder extraCapacity(int extraCapacity) {
        this.extraCapacity = extraCapacity;
        return this;
    }

    private void requireForm(int form) {
        if (extensionForm != 0 && extensionForm != form) {
            throw new IllegalStateException("extension form already chosen");
        }
        extensionForm = form;
    }

    private void writePadding() {
        for (int i = 0; i < extensionPaddingBetween; i++) {
            extension.write(0);
        }
    }

    private static int[] toInts(byte[] data) {
        int[] out = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = data[i] & 0xFF;
        }
        return out;
    }

    /** The packet's exact bytes. */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((version << 6) | (padding > 0 ? 0x20 : 0) | (extensionForm != 0 ? 0x10 : 0) | csrcs.size());
        out.write((marker ? 0x80 : 0) | (payloadType & 0x7F));
        writeShort(out, sequenceNumber);
        writeInt(out, timestamp);
        writeInt(out, ssrc);
        for (long csrc : csrcs) {
            writeInt(out, csrc);
        }
        if (extensionForm != 0) {
            byte[] data = extension.toByteArray();
            int words = (data.length + 3) / 4;
            int profile = extensionForm == 1 ? 0xBEDE : extensionForm == 2 ? 0x1000 | twoByteAppBits : rawProfile;
            writeShort(out, profile);
            writeShort(out, words);
            out.writeBytes(data);
            for (int i = data.length; i < words * 4; i++) {
                out.write(0);
            }
        }
        out.writeBytes(payload);
        for (int i = 1; i < padding; i++) {
            out.write(0);
        }
        if (padding > 0) {
            out.write(padding);
        }
        return out.toByteArray();
    }

    /** A heap buffer holding exactly the packet (plus {@link #extraCapacity} writable bytes). */
    public ByteBuf build() {
        byte[] bytes = toBytes();
        ByteBuf buf = Unpooled.buffer(bytes.length + extraCapacity, bytes.length + extraCapacity);
        return buf.writeBytes(bytes);
    }

    /** A buffer from {@code alloc} holding the packet, with {@link #extraCapacity} to spare. */
    public ByteBuf build(ByteBufAllocator alloc) {
        byte[] bytes = toBytes();
        ByteBuf buf = alloc.buffer(bytes.length + extraCapacity, bytes.length + extraCapacity);
        return buf.writeBytes(bytes);
    }

    /** Writes the packet at {@code target}'s writer index and returns {@code target}. */
    public ByteBuf buildInto(ByteBuf target) {
        return target.writeBytes(toBytes());
    }

    private static void writeShort(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    private static void writeInt(ByteArrayOutputStream out, long v) {
        out.write((int) (v >>> 24));
        out.write((int) (v >>> 16));
        out.write((int) (v >>> 8));
        out.write((int) v);
    }
}
