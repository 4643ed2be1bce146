package org.sluice.core.forward;

import io.netty.buffer.ByteBuf;
import org.sluice.core.net.MediaLoop;
import org.sluice.rtp.RtpPacket;

/**
 * A video stream's packets that arrived in the current round of its loop (one pass over the ready sockets, a
 * {@code recvmmsg} batch each), fanned out together when the round's tasks run: receiver by receiver, each
 * receiver's packets one after another, in their order. A publisher sends a frame's packets back to back, so a
 * receiver's state (its outbound stream, SRTP context, transport, and the kernel's socket and route for its
 * address) is then brought into the cache once per frame instead of once per packet; with hundreds of receivers on
 * a loop that state does not stay cached from one packet to the next.
 *
 * <p>Holds a reference to each packet until it is fanned out, then hands it to the stream's cache for NACKs. A
 * stream that was retired or replaced meanwhile releases them unsent. At most {@value #CAPACITY} packets wait: a
 * longer round fans out what waits first, so the order holds. On the stream's loop only.
 */
final class RoundFanOut implements Runnable {

    /** Packets fanned out together at most. */
    static final int CAPACITY = 16;

    /**
     * The system property that chooses the order: {@code round} (the default; any other value) or {@code packet}
     * (each packet to every receiver as it is read).
     */
    static final String PROPERTY = "sluice.fanout";

    private final InboundStream stream;
    private final ByteBuf[] packets = new ByteBuf[CAPACITY];
    private final RtpPacket[] views = new RtpPacket[CAPACITY];
    private int count;
    private MediaLoop loop;

    RoundFanOut(InboundStream stream) {
        this.stream = stream;
        for (int i = 0; i < CAPACITY; i++) {
            views[i] = new RtpPacket();
        }
    }

    /** Whether this JVM fans out by round ({@value #PROPERTY}); decided once. */
    static boolean enabled() {
        return Choice.BY_ROUND;
    }

    /**
     * Takes a reference to {@code packet} (a valid RTP packet) for the end of the round on {@code here}, which
     * must be the calling thread's loop.
     */
    void add(ByteBuf packet, MediaLoop here) {
        if (count == CAPACITY || (count > 0 && loop != here)) {
            run();
        }
        if (!views[count].wrap(packet)) {
            return; // it parsed once already; nothing to forward if it no longer does
        }
        if (count == 0) {
            loop = here;
            here.eventLoop().execute(this);
        }
        packets[count++] = packet.retain();
    }

    /** Whether packets wait for the end of this round. */
    boolean isStarted() {
        return count > 0;
    }

    /** Fans out what waits, receiver by receiver; a second run in the same round finds nothing. */
    @Override
    public void run() {
        int n = count;
        if (n == 0) {
            return;
        }
        count = 0;
        int local = loop.index();
        boolean live = stream.isLive();
        try {
            OutboundStream[][] sinks = stream.sinksByLoop();
            if (live && local < sinks.length) {
                forwardReceiverByReceiver(sinks[local], packets, views, n, stream, local);
            }
        } finally {
            for (int i = 0; i < n; i++) {
                ByteBuf packet = packets[i];
                packets[i] = null;
                if (live) {
                    stream.keep(views[i].sequenceNumber(), packet, local);
                } else {
                    packet.release();
                }
            }
        }
    }

    /**
     * Forwards the first {@code n} packets (with their views) of {@code stream} to each of {@code sinks} on loop
     * {@code loopIndex}: all of them to one receiver, then all to the next. The packets stay the caller's.
     */
    static void forwardReceiverByReceiver(OutboundStream[] sinks, ByteBuf[] packets, RtpPacket[] views, int n,
                                          InboundStream stream, int loopIndex) {
        for (OutboundStream sink : sinks) {
            for (int i = 0; i < n; i++) {
                sink.forward(packets[i], views[i], stream, loopIndex);
            }
        }
    }

    private static final class Choice {
        static final boolean BY_ROUND = !"packet".equals(System.getProperty(PROPERTY, "round"));
    }
}
