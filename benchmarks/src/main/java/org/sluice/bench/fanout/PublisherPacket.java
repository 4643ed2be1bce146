package org.sluice.bench.fanout;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.sluice.rtp.RtpPacket;

import java.util.SplittableRandom;

/**
 * The publisher's decrypted packet as the fan-out sees it: a pooled direct buffer of {@link #LENGTH} bytes
 * and the {@link RtpPacket} view over it. RTP header (VP8, payload type {@value #PAYLOAD_TYPE}), a one-byte
 * header extension block with a dependency descriptor (forwarded, renumbered) and an abs-send-time element
 * (not forwarded, dropped), then a VP8 payload that starts a key frame: descriptor {@code 0x10} (S=1, PID=0),
 * frame tag with P=0, start code {@code 9d 01 2a}, 1280x720, random bytes after. {@link #next()} moves the
 * sequence number (and every {@value #PACKETS_PER_FRAME} packets the timestamp) on in place and re-wraps.
 */
public final class PublisherPacket {

    /** Bytes of RTP, header included. */
    public static final int LENGTH = 1200;
    public static final int PAYLOAD_TYPE = 96;
    public static final int CLOCK_RATE = 90_000;
    public static final long SSRC = 0x5eed1234L;
    /** The publisher's dependency-descriptor extension id. */
    public static final int DEPENDENCY_DESCRIPTOR_ID = 11;
    /** The publisher's abs-send-time extension id (not a forwarded type). */
    public static final int ABS_SEND_TIME_ID = 3;
    /** 12-byte fixed header, 4-byte extension header, 8 bytes of elements. */
    public static final int HEADER_LENGTH = 24;
    public static final int PAYLOAD_LENGTH = LENGTH - HEADER_LENGTH;

    private static final int PACKETS_PER_FRAME = 4;
    private static final long TICKS_PER_FRAME = CLOCK_RATE / 30;

    private final ByteBuf buf;
    private final RtpPacket view = new RtpPacket();
    private int sequence;
    private long timestamp;

    public PublisherPacket(ByteBufAllocator alloc, SplittableRandom random) {
        buf = alloc.directBuffer(LENGTH, LENGTH);
        sequence = random.nextInt(0x10000);
        timestamp = random.nextLong(0x100000000L);
        buf.writeByte(0x90); // V=2, X=1
        buf.writeByte(PAYLOAD_TYPE);
        buf.writeShort(sequence);
        buf.writeInt((int) timestamp);
        buf.writeInt((int) SSRC);
        buf.writeShort(0xBEDE);
        buf.writeShort(2); // two 32-bit words of elements
        buf.writeByte((ABS_SEND_TIME_ID << 4) | 2); // 3 bytes
        buf.writeMedium(0x123456);
        buf.writeByte((DEPENDENCY_DESCRIPTOR_ID << 4) | 2); // 3 bytes: S=1 E=1 template 0, frame 1
        buf.writeByte(0xC0);
        buf.writeShort(1);
        buf.writeByte(0x10); // VP8 descriptor: S=1, PID=0, no extensions
        buf.writeByte(0x50); // frame tag: P=0 (key frame), version 0, show_frame 1
        buf.writeByte(0x2f);
        buf.writeByte(0x00);
        buf.writeMedium(0x9d012a); // start code
        buf.writeShortLE(1280);
        buf.writeShortLE(720);
        while (buf.isWritable()) {
            buf.writeByte(random.nextInt(256));
        }
        if (!view.wrap(buf) || view.headerLength() != HEADER_LENGTH) {
            throw new IllegalStateException("publisher packet does not parse: " + view.invalidReason());
        }
    }

    /** The next packet of the stream: sequence + 1, a new timestamp every few packets; re-wrapped. */
    public void next() {
        sequence = (sequence + 1) & 0xFFFF;
        if (sequence % PACKETS_PER_FRAME == 0) {
            timestamp = (timestamp + TICKS_PER_FRAME) & 0xFFFFFFFFL;
            buf.setInt(4, (int) timestamp);
        }
        buf.setShort(2, sequence);
        view.wrap(buf);
    }

    public ByteBuf buffer() {
        return buf;
    }

    public RtpPacket view() {
        return view;
    }

    public void release() {
        buf.release();
    }
}
