package org.sluice.core.transport;

import java.util.concurrent.atomic.LongAdder;

/** Packets the transports dropped, by reason, and DTLS outcomes; read by the metrics layer. */
public final class TransportCounters {

    public final LongAdder unknownSender = new LongAdder();
    public final LongAdder unknownPacketClass = new LongAdder();
    public final LongAdder stunRejected = new LongAdder();
    public final LongAdder stunMalformed = new LongAdder();
    public final LongAdder dtlsBeforeIce = new LongAdder();
    public final LongAdder mediaBeforeKeys = new LongAdder();
    public final LongAdder srtpAuthFailed = new LongAdder();
    public final LongAdder srtpReplayed = new LongAdder();
    public final LongAdder srtpMalformed = new LongAdder();
    public final LongAdder srtcpFailed = new LongAdder();
    /** SRTP/SRTCP packets, in or out, refused because their session was at its stream limit. */
    public final LongAdder srtpStreamLimit = new LongAdder();
    public final LongAdder dtlsHandshakes = new LongAdder();
    public final LongAdder dtlsFailures = new LongAdder();
    public final LongAdder dtlsHandshakeNanos = new LongAdder();
    public final LongAdder transportsOpened = new LongAdder();
    public final LongAdder transportsClosed = new LongAdder();
    /** DTLS application data (SCTP) on a transport without data channels. */
    public final LongAdder applicationDataDropped = new LongAdder();
}
