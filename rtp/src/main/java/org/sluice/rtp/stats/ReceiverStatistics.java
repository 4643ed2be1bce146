package org.sluice.rtp.stats;

/**
 * Reception statistics of one RTP source, as RFC 3550 Appendix A describes them.
 *
 * <ul>
 *   <li>Sequence validation (A.1): a new source is on probation until {@link #MIN_SEQUENTIAL}
 *       packets arrive in sequence; a jump of {@link #MAX_DROPOUT} or more ahead (or more than
 *       {@link #MAX_MISORDER} behind) is dropped, unless the next packet follows it, in which case
 *       the source is taken to have restarted and the statistics start over.</li>
 *   <li>Loss (A.3): expected = extended highest − base + 1; cumulative lost = expected − received,
 *       clamped to a signed 24-bit value; fraction lost over the interval since the last
 *       report.</li>
 *   <li>Jitter (A.8): the running estimate J += (|D| − J)/16 kept scaled by 16 in integers, with
 *       arrival times converted to RTP units with the stream's clock rate. It is updated only by
 *       packets that advance the highest sequence number, so retransmissions and reordered
 *       packets do not inflate it.</li>
 * </ul>
 *
 * <p>Allocation-free per packet; not thread-safe (owned by the transport's event loop).
 */
public final class ReceiverStatistics {

    /** Packets in sequence needed to accept a new source. */
    public static final int MIN_SEQUENTIAL = 2;
    /** A jump ahead of this many numbers or more is treated as a possible restart. */
    public static final int MAX_DROPOUT = 3000;
    /** A packet further behind than this is treated like a jump. */
    public static final int MAX_MISORDER = 100;

    private static final int SEQ_MOD = 1 << 16;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int MAX_CUMULATIVE_LOST = 0x7FFFFF;
    private static final int MIN_CUMULATIVE_LOST = -0x800000;

    private final int clockRate;

    private boolean seen;
    private int maxSeq;
    private long cycles;
    private int baseSeq;
    private int badSeq;
    private int probation;
    private long received;
    private long expectedPrior;
    private long receivedPrior;

    private boolean haveTransit;
    private int transit;
    private long jitterQ4;

    /**
     * @param clockRate the RTP clock rate of the stream in Hz (e.g. 90000 for video, 48000 for Opus)
     */
    public ReceiverStatistics(int clockRate) {
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate must be positive: " + clockRate);
        }
        this.clockRate = clockRate;
    }

    public int clockRate() {
        return clockRate;
    }

    /**
     * Accounts one received packet.
     *
     * @param sequenceNumber the packet's 16-bit sequence number
     * @param rtpTimestamp   the packet's 32-bit RTP timestamp
     * @param arrivalNanos   the arrival time on any monotonic nanosecond clock
     * @return {@code true} when the packet counts as valid for this source (not on probation, not an
     *     unexplained jump)
     */
    public boolean receive(int sequenceNumber, long rtpTimestamp, long arrivalNanos) {
        int seq = sequenceNumber & 0xFFFF;
        boolean advanced;
        if (!seen) {
            seen = true;
            initSequence(seq);
            maxSeq = (seq - 1) & 0xFFFF;
            probation = MIN_SEQUENTIAL;
        }
        int udelta = (seq - maxSeq) & 0xFFFF;
        if (probation > 0) {
            if (seq == ((maxSeq + 1) & 0xFFFF)) {
                probation--;
                maxSeq = seq;
                if (probation == 0) {
                    initSequence(seq);
                    received++;
                    updateJitter(rtpTimestamp, arrivalNanos);
                    return true;
                }
            } else {
                probation = MIN_SEQUENTIAL - 1;
                maxSeq = seq;
            }
            haveTransit = false;
            return false;
        } else if (udelta < MAX_DROPOUT) {
            if (seq < maxSeq) {
                cycles += SEQ_MOD;
            }
            advanced = udelta != 0;
            maxSeq = seq;
        } else if (udelta <= SEQ_MOD - MAX_MISORDER) {
            if (seq == badSeq) {
                initSequence(seq);
                haveTransit = false;
                advanced = true;
            } else {
                badSeq = (seq + 1) & 0xFFFF;
                return false;
            }
        } else {
            advanced = false; // duplicate or reordered
        }
        received++;
        if (advanced) {
            updateJitter(rtpTimestamp, arrivalNanos);
        }
        return true;
    }

    private void initSequence(int seq) {
        baseSeq = seq;
        maxSeq = seq;
        badSeq = SEQ_MOD + 1;
        cycles = 0;
        received = 0;
        receivedPrior = 0;
        expectedPrior = 0;
    }

    private void updateJitter(long rtpTimestamp, long arrivalNanos) {
        int arrival = (int) toRtpUnits(arrivalNanos);
        int t = arrival - (int) rtpTimestamp;
        if (haveTransit) {
            long d = Math.abs((long) (t - transit));
            jitterQ4 += d - ((jitterQ4 + 8) >> 4);
        }
        transit = t;
        haveTransit = true;
    }

    private long toRtpUnits(long nanos) {
        long seconds = Math.floorDiv(nanos, NANOS_PER_SECOND);
        long rest = Math.floorMod(nanos, NANOS_PER_SECOND);
        return seconds * clockRate + rest * clockRate / NANOS_PER_SECOND;
    }

    /** Whether a packet has been accepted since the source was first seen or restarted. */
    public boolean hasValidPackets() {
        return seen && probation == 0;
    }

    /** Packets counted as received since the (re)start, duplicates included. */
    public long received() {
        return received;
    }

    /** Extended highest sequence number: cycles in the high bits, the highest number in the low 16. */
    public long extendedHighestSequence() {
        return cycles + maxSeq;
    }

    /** The sequence number the statistics started from. */
    public int baseSequence() {
        return baseSeq;
    }

    /** Packets expected since the (re)start. */
    public long expected() {
        return hasValidPackets() ? extendedHighestSequence() - baseSeq + 1 : 0;
    }

    /** Cumulative packets lost, clamped to the signed 24-bit range of a report block. */
    public int cumulativeLost() {
        long lost = expected() - received;
        return (int) Math.max(MIN_CUMULATIVE_LOST, Math.min(MAX_CUMULATIVE_LOST, lost));
    }

    /** Interarrival jitter in RTP timestamp units. */
    public long jitter() {
        return jitterQ4 >> 4;
    }

    /**
     * Fills {@code out} with the values of a report block for this source and starts a new report
     * interval (the fraction lost is measured between two calls).
     */
    public void fillReportBlock(ReportBlockValues out) {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        expectedPrior = expected;
        long receivedInterval = received - receivedPrior;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        out.fractionLost = (expectedInterval == 0 || lostInterval <= 0)
                ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        out.cumulativeLost = cumulativeLost();
        out.extendedHighestSequence = extendedHighestSequence() & 0xFFFFFFFFL;
        out.jitter = jitter() & 0xFFFFFFFFL;
    }
}
