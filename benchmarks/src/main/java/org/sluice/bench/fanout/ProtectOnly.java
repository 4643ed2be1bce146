package org.sluice.bench.fanout;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.sluice.rtp.srtp.SrtpProfile;
import org.sluice.rtp.srtp.SrtpResult;
import org.sluice.rtp.srtp.SrtpSession;

import java.util.SplittableRandom;

/**
 * The floor under one forwarded packet: what {@code OutboundStream.forward} does minus the forwarding logic.
 * A pooled direct buffer, a fixed 20-byte header (the receiver's, with the renumbered dependency descriptor)
 * copied in, the publisher's payload encrypted behind it by {@link SrtpSession#protectRtp(ByteBuf, int,
 * ByteBuf, int, int)}, released. The difference to a fan-out's cost per receiver is the header rewrite, the
 * per-receiver bookkeeping and the loop.
 */
public final class ProtectOnly implements AutoCloseable {

    private static final int HEADER_LENGTH = 20;

    private final ByteBufAllocator alloc;
    private final SrtpSession srtp;
    private final PublisherPacket packet;
    private final byte[] header = new byte[HEADER_LENGTH];
    private int sequence;

    public ProtectOnly(SrtpProfile profile, ByteBufAllocator alloc, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        this.alloc = alloc;
        byte[] key = new byte[profile.masterKeyLength()];
        byte[] salt = new byte[profile.masterSaltLength()];
        random.nextBytes(key);
        random.nextBytes(salt);
        srtp = new SrtpSession(profile, key, salt);
        packet = new PublisherPacket(alloc, random);
        header[0] = (byte) 0x90;
        header[1] = 96;
        header[8] = 0x10;
        header[12] = (byte) 0xBE;
        header[13] = (byte) 0xDE;
        header[15] = 1;
        header[16] = (byte) ((FanOutRig.RECEIVER_DEPENDENCY_DESCRIPTOR_ID << 4) | 2);
        header[17] = (byte) 0xC0;
        header[19] = 1;
    }

    /** Protects one packet for one receiver; returns the SRTP length. */
    public int protectOnce() {
        sequence = (sequence + 1) & 0xFFFF;
        ByteBuf out = alloc.directBuffer(HEADER_LENGTH + PublisherPacket.PAYLOAD_LENGTH + srtp.rtpOverhead());
        try {
            out.writeBytes(header);
            out.setShort(2, sequence);
            if (srtp.protectRtp(out, HEADER_LENGTH, packet.buffer(), PublisherPacket.HEADER_LENGTH,
                    PublisherPacket.PAYLOAD_LENGTH) != SrtpResult.OK) {
                throw new IllegalStateException("protect failed");
            }
            return out.readableBytes();
        } finally {
            out.release();
        }
    }

    @Override
    public void close() {
        packet.release();
    }
}
