package org.sluice.core.testing;

/**
 * One decrypted RTP packet a {@link SimulatedPeer} received.
 *
 * @param ssrc         the packet's SSRC
 * @param sequence     its 16-bit sequence number
 * @param timestamp    its 32-bit RTP timestamp
 * @param payloadType  its payload type
 * @param marker       the marker bit
 * @param payload      the payload bytes (after the header and extensions, without padding)
 * @param arrivalNanos {@link System#nanoTime()} when it arrived
 */
public record ReceivedRtp(long ssrc, int sequence, long timestamp, int payloadType, boolean marker, byte[] payload,
                          long arrivalNanos) {
}
