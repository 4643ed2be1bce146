package org.sluice.core.testing;

/**
 * One decrypted RTCP compound a {@link SimulatedPeer} received.
 *
 * @param compound     the plain RTCP bytes
 * @param arrivalNanos {@link System#nanoTime()} when it arrived
 */
public record ReceivedRtcp(byte[] compound, long arrivalNanos) {
}
