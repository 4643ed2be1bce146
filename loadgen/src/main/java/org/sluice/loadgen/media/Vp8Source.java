package org.sluice.loadgen.media;

import io.netty.buffer.ByteBuf;

/**
 * Paced synthetic VP8 (RFC 7741): each call to {@link #nextFrame} packetizes one frame. Payloads carry
 * a valid payload descriptor (X, I with a 15-bit PictureID, S on a frame's first packet), a VP8 frame
 * tag on the first packet (with the start code and 1280x720 on key frames) and a
 * {@link PayloadStamp}. A key frame comes every {@code keyFrameInterval} frames and on the frame after
 * {@link #requestKeyFrame}. Key frames are three times the average frame; inter frames shrink so the
 * average rate stays at the configured bitrate. The timestamp steps by 90000/fps per frame.
 *
 * <p>Not thread-safe: one event loop drives it. {@code scratch} is reused for every packet.
 */
public final class Vp8Source {

    private static final int DESCRIPTOR_LENGTH = 4;
    private static final int KEY_HEADER_LENGTH = 10;
    private static final int INTER_HEADER_LENGTH = 3;

    private final StreamIdentity identity;
    private final int framesPerSecond;
    private final int keyFrameInterval;
    private final int maxPayload;
    private final int keyFrameBytes;
    private final int interFrameBytes;
    private final ByteBuf scratch;
    private final int sequenceBase;
    private long frameIndex;
    private int originSequence;
    private int pictureId;
    private boolean keyFrameRequested;
    private long keyFrames;

    /**
     * @param bitsPerSecond    average bitrate of the payloads
     * @param maxPayload       largest RTP payload in bytes (the packetization limit)
     * @param scratch          a buffer of at least {@code maxPayload + 12} writable bytes, reused
     */
    public Vp8Source(StreamIdentity identity, int bitsPerSecond, int framesPerSecond, int keyFrameInterval,
                     int maxPayload, int sequenceBase, ByteBuf scratch) {
        if (framesPerSecond < 1 || keyFrameInterval < 2 || maxPayload < 64) {
            throw new IllegalArgumentException("fps >= 1, key-frame interval >= 2 frames, max payload >= 64");
        }
        this.identity = identity;
        this.framesPerSecond = framesPerSecond;
        this.keyFrameInterval = keyFrameInterval;
        this.maxPayload = maxPayload;
        int average = Math.max(1, bitsPerSecond / 8 / framesPerSecond);
        this.keyFrameBytes = 3 * average;
        long total = (long) average * keyFrameInterval;
        this.interFrameBytes = (int) Math.max(1, (total - keyFrameBytes) / (keyFrameInterval - 1));
        this.sequenceBase = sequenceBase;
        this.scratch = scratch;
        this.pictureId = sequenceBase & 0x7FFF;
    }

    /** The next frame becomes a key frame (a PLI or FIR arrived). */
    public void requestKeyFrame() {
        keyFrameRequested = true;
    }

    /** Key frames sent so far. */
    public long keyFrames() {
        return keyFrames;
    }

    /** Packets sent so far (the next origin sequence). */
    public int packetsSent() {
        return originSequence;
    }

    public StreamIdentity identity() {
        return identity;
    }

    /** Packetizes the next frame into {@code sink}, stamping each packet with {@code nowNanos}; returns packets sent. */
    public int nextFrame(PacketSink sink, long nowNanos) {
        boolean key = keyFrameRequested || frameIndex % keyFrameInterval == 0;
        keyFrameRequested = false;
        int frameBytes = key ? keyFrameBytes : interFrameBytes;
        int body = maxPayload - DESCRIPTOR_LENGTH;
        int packets = Math.max(1, (frameBytes + body - 1) / body);
        int perPacket = frameBytes / packets;
        long timestamp = frameIndex * (90_000L / framesPerSecond);
        for (int i = 0; i < packets; i++) {
            boolean first = i == 0;
            boolean last = i == packets - 1;
            scratch.clear();
            RtpHeader.write(scratch, last, identity.payloadType(), sequenceBase + originSequence, timestamp,
                    identity.ssrc());
            scratch.writeByte(first ? 0x90 : 0x80); // X, S on the first packet, partition 0
            scratch.writeByte(0x80);                 // I: a PictureID follows
            scratch.writeShort(0x8000 | pictureId);  // M: 15-bit PictureID
            int used = DESCRIPTOR_LENGTH;
            if (first) {
                used += writeFrameHeader(key);
            }
            int fillerWords = Math.max(0, (perPacket - used - PayloadStamp.TRAILER_LENGTH) / 8);
            PayloadStamp.write(scratch, fillerWords, identity.streamId(), originSequence, nowNanos);
            originSequence++;
            sink.send(scratch);
        }
        if (key) {
            keyFrames++;
        }
        frameIndex++;
        pictureId = (pictureId + 1) & 0x7FFF;
        return packets;
    }

    private int writeFrameHeader(boolean key) {
        // frame tag (RFC 6386 §9.1): P=0 on key frames, version 0, show_frame=1, first partition size 0
        scratch.writeByte(key ? 0x10 : 0x11);
        scratch.writeShort(0);
        if (!key) {
            return INTER_HEADER_LENGTH;
        }
        scratch.writeByte(0x9D).writeByte(0x01).writeByte(0x2A);
        scratch.writeShortLE(1280);
        scratch.writeShortLE(720);
        return KEY_HEADER_LENGTH;
    }
}
