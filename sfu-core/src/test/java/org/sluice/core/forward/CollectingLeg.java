package org.sluice.core.forward;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.srtp.SrtpProfile;
import org.sluice.rtp.srtp.SrtpResult;
import org.sluice.rtp.srtp.SrtpSession;

import java.util.ArrayList;
import java.util.List;

/**
 * A test {@link EgressLeg}: protects with a fixed AEAD_AES_128_GCM key, and on every send decrypts
 * the packet with a second session made from the same key, records what the receiver would see and
 * releases the buffer. Thread-safe: a leg may be fed by another loop.
 */
final class CollectingLeg implements EgressLeg {

    static final byte[] KEY = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
            0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10};
    static final byte[] SALT = {0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b};

    /** One packet as the receiver decrypted it. */
    record Sent(int payloadType, int sequenceNumber, long timestamp, long ssrc, boolean marker,
                byte[] header, byte[] payload, String thread) {
    }

    private final SrtpSession protect = new SrtpSession(SrtpProfile.AEAD_AES_128_GCM, KEY, SALT);
    private final SrtpSession unprotect = new SrtpSession(SrtpProfile.AEAD_AES_128_GCM, KEY, SALT);
    private final List<Sent> sent = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<Long> ended = new ArrayList<>();
    private volatile boolean keysReady = true;
    /** Told of each protected packet as it is sent, before it is decrypted (its header is still readable). */
    private final java.util.function.Consumer<ByteBuf> onSend;

    CollectingLeg() {
        this(packet -> { });
    }

    CollectingLeg(java.util.function.Consumer<ByteBuf> onSend) {
        this.onSend = onSend;
    }

    void keysReady(boolean ready) {
        this.keysReady = ready;
    }

    @Override
    public SrtpSession outboundSrtp() {
        return keysReady ? protect : null;
    }

    @Override
    public ByteBufAllocator alloc() {
        return PooledByteBufAllocator.DEFAULT;
    }

    @Override
    public synchronized void streamEnded(long ssrc) {
        protect.retireStream(ssrc);
        ended.add(ssrc);
    }

    /** The SSRCs {@link #streamEnded} was told about, in order. */
    synchronized List<Long> ended() {
        return List.copyOf(ended);
    }

    @Override
    public synchronized void sendProtected(ByteBuf packet) {
        try {
            onSend.accept(packet);
            SrtpResult result = unprotect.unprotectRtp(packet);
            RtpPacket view = new RtpPacket();
            if (result != SrtpResult.OK || !view.wrap(packet)) {
                failures.add(result + " / " + view.invalidReason());
                return;
            }
            byte[] header = ByteBufUtil.getBytes(packet, view.offset(), view.headerLength());
            byte[] payload = ByteBufUtil.getBytes(packet, view.payloadOffset(), view.payloadLength());
            sent.add(new Sent(view.payloadType(), view.sequenceNumber(), view.timestamp(), view.ssrc(),
                    view.marker(), header, payload, Thread.currentThread().getName()));
        } finally {
            packet.release();
        }
    }

    synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }

    synchronized int count() {
        return sent.size();
    }

    synchronized Sent last() {
        return sent.get(sent.size() - 1);
    }

    synchronized List<String> failures() {
        return List.copyOf(failures);
    }
}
