package org.sluice.core.net;

import java.util.concurrent.atomic.LongAdder;

/** What the media sockets carried: datagrams/frames and bytes in and out, refused TCP connections. */
public final class NetworkCounters {

    public final LongAdder datagramsIn = new LongAdder();
    public final LongAdder bytesIn = new LongAdder();
    public final LongAdder tcpFramesIn = new LongAdder();
    public final LongAdder tcpConnectionsRejected = new LongAdder();
    /** UDP datagrams and ICE-TCP frames handed to the sockets. */
    public final LongAdder packetsOut = new LongAdder();
    /** Bytes of those (without TCP framing). */
    public final LongAdder bytesOut = new LongAdder();
    /** Packets sent from another loop than their path's and dropped because the hand-off queue was full. */
    public final LongAdder handoffDrops = new LongAdder();
    /** Packets to an ICE-TCP peer dropped because its connection was not writable (the peer reads too slowly). */
    public final LongAdder tcpBackpressureDrops = new LongAdder();
    /**
     * UDP datagrams dropped because the socket's kernel send buffer was full: at once when the media loop sends
     * them itself ({@link SendmmsgBatch}), else once what waited for it in Netty's outbound buffer had reached
     * {@link MediaNetwork#UDP_WATER_MARK}'s high mark even after a flush.
     */
    public final LongAdder udpBackpressureDrops = new LongAdder();
    /** UDP datagrams the kernel refused on their own (no route, a firewall rule, an address of the wrong family). */
    public final LongAdder udpSendErrors = new LongAdder();
    /**
     * Segmented UDP messages ({@code UDP_SEGMENT}) the kernel refused with {@code EIO} (the outgoing device cannot
     * checksum them): each was sent again datagram by datagram, and its socket's batch stopped segmenting.
     */
    public final LongAdder udpSegmentationRefusals = new LongAdder();
    /** UDP messages handed to the kernel by the media loops' own batches; fewer than datagrams where runs are segmented. */
    public final LongAdder udpMessagesOut = new LongAdder();
}
