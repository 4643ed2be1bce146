package org.sluice.loadgen.scenario;

/**
 * How long one session took to set up, in nanoseconds: the WHIP/WHEP POST round trip, ICE (answer to
 * the first authentic Binding success), the DTLS handshake, and the whole (offer to SRTP installed).
 */
public record SetupTiming(long signalingNanos, long iceNanos, long dtlsNanos, long totalNanos) {
}
