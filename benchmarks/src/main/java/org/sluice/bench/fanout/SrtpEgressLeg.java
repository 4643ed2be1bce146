package org.sluice.bench.fanout;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.sluice.core.forward.EgressLeg;
import org.sluice.rtp.srtp.SrtpSession;

/**
 * A receiver's egress without a socket: a real outbound {@link SrtpSession} and the pooled allocator, and a
 * {@link #sendProtected} that counts the packet and releases it, as a socket write would once flushed. Can
 * keep the next packet instead ({@link #captureNext()}) so a test can decrypt what the receiver would get.
 */
public final class SrtpEgressLeg implements EgressLeg {

    private final SrtpSession srtp;
    private final ByteBufAllocator alloc;
    private boolean capture;
    private ByteBuf captured;
    private long packets;
    private long octets;
    private int lastSequence = -1;

    public SrtpEgressLeg(SrtpSession srtp, ByteBufAllocator alloc) {
        this.srtp = srtp;
        this.alloc = alloc;
    }

    @Override
    public SrtpSession outboundSrtp() {
        return srtp;
    }

    @Override
    public ByteBufAllocator alloc() {
        return alloc;
    }

    @Override
    public void streamEnded(long ssrc) {
        srtp.retireStream(ssrc);
    }

    @Override
    public void sendProtected(ByteBuf packet) {
        packets++;
        octets += packet.readableBytes();
        lastSequence = packet.getUnsignedShort(packet.readerIndex() + 2); // SRTP leaves the header in the clear
        if (capture && captured == null) {
            captured = packet;
            capture = false;
            return;
        }
        packet.release();
    }

    /** Keeps the next sent packet (see {@link #takeCaptured()}) instead of releasing it. */
    public void captureNext() {
        capture = true;
    }

    /** The kept packet, now owned by the caller, or {@code null}. */
    public ByteBuf takeCaptured() {
        ByteBuf packet = captured;
        captured = null;
        return packet;
    }

    /** The RTP sequence number of the last packet handed to this leg, -1 before the first. */
    public int lastSequence() {
        return lastSequence;
    }

    /** Packets handed to this leg. */
    public long packets() {
        return packets;
    }

    /** SRTP octets handed to this leg (headers, payload and tags). */
    public long octets() {
        return octets;
    }
}
