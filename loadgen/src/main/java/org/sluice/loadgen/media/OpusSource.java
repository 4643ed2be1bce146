package org.sluice.loadgen.media;

import io.netty.buffer.ByteBuf;

/**
 * Paced synthetic Opus: one 20 ms packet per call to {@link #nextPacket}, a TOC byte (CELT fullband,
 * 20 ms, one frame) followed by a {@link PayloadStamp} sized for the configured bitrate; the
 * timestamp steps by 960 (48 kHz). Not thread-safe.
 */
public final class OpusSource {

    /** 20 ms at 48 kHz. */
    public static final int TIMESTAMP_STEP = 960;
    private static final int TOC = 0xF8;

    private final StreamIdentity identity;
    private final int fillerWords;
    private final ByteBuf scratch;
    private final int sequenceBase;
    private int originSequence;

    public OpusSource(StreamIdentity identity, int bitsPerSecond, int sequenceBase, ByteBuf scratch) {
        this.identity = identity;
        int payload = bitsPerSecond / 8 / 50;
        this.fillerWords = Math.max(0, (payload - 1 - PayloadStamp.TRAILER_LENGTH) / 8);
        this.sequenceBase = sequenceBase;
        this.scratch = scratch;
    }

    public StreamIdentity identity() {
        return identity;
    }

    /** Packets sent so far (the next origin sequence). */
    public int packetsSent() {
        return originSequence;
    }

    /** Sends the next packet to {@code sink}, stamped with {@code nowNanos}. */
    public void nextPacket(PacketSink sink, long nowNanos) {
        scratch.clear();
        RtpHeader.write(scratch, originSequence == 0, identity.payloadType(), sequenceBase + originSequence,
                (long) originSequence * TIMESTAMP_STEP, identity.ssrc());
        scratch.writeByte(TOC);
        PayloadStamp.write(scratch, fillerWords, identity.streamId(), originSequence, nowNanos);
        originSequence++;
        sink.send(scratch);
    }
}
