package org.sluice.core.testing;

import java.util.concurrent.ThreadLocalRandom;

/**
 * One outgoing RTP stream of a {@link SimulatedPeer}: its SSRC and payload type, with sequence
 * number and timestamp advancing per packet from random starting points. Not thread-safe.
 */
public final class RtpTrack {

    /** A packet as this track sent it. */
    public record Sent(int sequence, long timestamp, byte[] payload, byte[] datagram) {
    }

    private final SimulatedPeer peer;
    private final int payloadType;
    private final long ssrc;
    private int sequence = ThreadLocalRandom.current().nextInt(0, 0x10000);
    private long timestamp = ThreadLocalRandom.current().nextLong(0, 0x100000000L);

    public RtpTrack(SimulatedPeer peer, int payloadType, long ssrc) {
        this.peer = peer;
        this.payloadType = payloadType;
        this.ssrc = ssrc;
    }

    public long ssrc() {
        return ssrc;
    }

    /** Like {@link #send} with a one-byte header extension element. */
    public Sent send(byte[] payload, boolean marker, int timestampStep, int extensionId, byte[] extensionData) {
        timestamp = (timestamp + timestampStep) & 0xFFFFFFFFL;
        int seq = sequence;
        sequence = (sequence + 1) & 0xFFFF;
        byte[] datagram = peer.sendRtp(payloadType, ssrc, seq, timestamp, marker, extensionId, extensionData, payload);
        return new Sent(seq, timestamp, payload, datagram);
    }

    /** Like {@link #send} with one-byte header extension elements {@code ids[i]} → {@code data[i]}. */
    public Sent send(byte[] payload, boolean marker, int timestampStep, int[] ids, byte[][] data) {
        timestamp = (timestamp + timestampStep) & 0xFFFFFFFFL;
        int seq = sequence;
        sequence = (sequence + 1) & 0xFFFF;
        byte[] datagram = peer.sendRtp(payloadType, ssrc, seq, timestamp, marker, ids, data, payload);
        return new Sent(seq, timestamp, payload, datagram);
    }

    /** Takes the next sequence number and timestamp without sending: the packet is "lost" on the way. */
    public Sent lose(byte[] payload, int timestampStep) {
        timestamp = (timestamp + timestampStep) & 0xFFFFFFFFL;
        int seq = sequence;
        sequence = (sequence + 1) & 0xFFFF;
        return new Sent(seq, timestamp, payload, null);
    }

    /** Sends {@code payload} as the next packet, the timestamp first advanced by {@code timestampStep}. */
    public Sent send(byte[] payload, boolean marker, int timestampStep) {
        timestamp = (timestamp + timestampStep) & 0xFFFFFFFFL;
        int seq = sequence;
        sequence = (sequence + 1) & 0xFFFF;
        byte[] datagram = peer.sendRtp(payloadType, ssrc, seq, timestamp, marker, payload);
        return new Sent(seq, timestamp, payload, datagram);
    }
}
