package org.sluice.core.net;

import java.util.concurrent.atomic.LongAdder;

/** What the sockets saw that nobody above them will count: malformed and unroutable input. */
public final class NetworkCounters {

    public final LongAdder datagramsIn = new LongAdder();
    public final LongAdder bytesIn = new LongAdder();
    public final LongAdder tcpFramesIn = new LongAdder();
    public final LongAdder tcpConnectionsRejected = new LongAdder();
}
