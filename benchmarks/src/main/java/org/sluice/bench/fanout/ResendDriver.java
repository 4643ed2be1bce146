package org.sluice.bench.fanout;

import io.netty.buffer.PooledByteBufAllocator;
import org.sluice.core.forward.MediaKind;
import org.sluice.core.forward.RepairCounters;
import org.sluice.rtp.srtp.SrtpProfile;

/**
 * One video receiver with RTX on a {@link ManualClock} moved {@value #PACKET_INTERVAL_NANOS} ns per forwarded
 * packet (100 packets/s), so cache ages and the receiver's 2 Mbit/s retransmission budget behave as in a call.
 * {@link #step(boolean)} forwards the next packet and optionally answers a NACK for the packet sent
 * {@value #NACK_DEPTH} packets (100 ms) earlier, from the cache, as RTX. {@link #check()} fails unless every NACK
 * was answered.
 */
public final class ResendDriver implements AutoCloseable {

    public static final long PACKET_INTERVAL_NANOS = 10_000_000L;
    public static final int NACK_DEPTH = 10;

    private final ManualClock clock = new ManualClock(1_000_000_000_000L);
    private final RepairCounters counters = new RepairCounters();
    private final int[] sent = new int[16];
    private final FanOutRig rig;
    private final long answeredBefore;
    private long packets;
    private long nacks;

    public ResendDriver(SrtpProfile profile) {
        rig = new FanOutRig(1, profile, PooledByteBufAllocator.DEFAULT, 42, MediaKind.VIDEO, true, clock, counters);
        rig.verify();
        if (!rig.checkResend(0, clock.getAsLong())) {
            throw new IllegalStateException("the video rig does not answer a NACK");
        }
        answeredBefore = counters.retransmissionsSent.sum();
    }

    /** Forwards the next packet and, if {@code nack}, answers a NACK for the one sent {@value #NACK_DEPTH} before. */
    public void step(boolean nack) {
        long now = clock.advance(PACKET_INTERVAL_NANOS);
        rig.forwardOnce();
        sent[(int) (packets & 15)] = rig.leg(0).lastSequence();
        if (nack && packets >= NACK_DEPTH) {
            rig.outbound(0).retransmit(sent[(int) ((packets - NACK_DEPTH) & 15)], now);
            nacks++;
        }
        packets++;
    }

    /** Throws unless every NACK since construction was answered. */
    public void check() {
        long answered = counters.retransmissionsSent.sum() - answeredBefore;
        if (answered != nacks) {
            throw new IllegalStateException(nacks + " NACKs, " + answered + " answered (misses "
                    + counters.cacheMisses.sum() + ", too old " + counters.cacheTooOld.sum() + ", rate limited "
                    + counters.retransmissionsRateLimited.sum() + ", suppressed "
                    + counters.retransmissionsSuppressed.sum() + ", unsent " + counters.nacksForUnsent.sum() + ")");
        }
    }

    @Override
    public void close() {
        rig.close();
    }
}
