package org.sluice.bandwidth.history;

import java.util.Arrays;
import org.sluice.rtp.rtcp.twcc.TransportFeedbackView;
import org.sluice.rtp.seq.SequenceNumbers;

/**
 * Ring of sent packets indexed by transport-wide sequence number. Sequence numbers are 16 bits on
 * the wire and unwrapped to a long here (each one placed by the shortest signed distance from the
 * newest sent). An entry leaves the ring when it is older than {@link #MAX_AGE_NANOS} at the next
 * send, or when a newer packet needs its slot (the ring is full); a packet still in flight then
 * leaves the in-flight count too.
 *
 * <p>{@link #onFeedback} turns one transport-cc feedback into {@link PacketResults}: each reported
 * packet found in the ring yields its send time, size, probe cluster and either its arrival time
 * or lost. Packets the ring does not hold (never sent, evicted, or newer than the newest sent) are
 * skipped; a packet already reported received is not reported again, and a packet reported lost
 * is reported again only if a later feedback says it arrived. A packet leaves the in-flight count
 * the first time any feedback reports it.
 *
 * <p>Arrival times: the feedback reference time (24-bit, 64 ms ticks) is unwrapped across
 * feedbacks, so arrival times of successive feedbacks are on one receiver clock.
 *
 * <p>Allocation happens only in the constructor. Not thread-safe.
 */
public final class SendHistory {
    /** Default number of slots: about 80 s at 100 packets/s, 8 s at 1000 packets/s. */
    public static final int DEFAULT_CAPACITY = 8192;
    /** Largest capacity: half the 16-bit sequence space keeps feedback unwrapping unambiguous. */
    public static final int MAX_CAPACITY = 1 << 15;
    /** Age after which a packet is forgotten. */
    public static final long MAX_AGE_NANOS = 60_000_000_000L;

    private static final byte FLAG_PADDING = 1;
    private static final byte FLAG_REPORTED = 2;
    private static final byte FLAG_RECEIVED = 4;
    private static final long EMPTY = Long.MIN_VALUE;
    private static final long NANOS_PER_US = 1000;

    private final int mask;
    private final long[] seqs;
    private final long[] sendNanos;
    private final int[] sizes;
    private final int[] probeIds;
    private final byte[] flags;

    private boolean started;
    private long newest;
    private long oldest;
    private long inFlightBytes;
    private int inFlightPackets;
    private long unknownReported;

    private boolean haveReference;
    private int lastReferenceTicks;
    private long referenceTicks;

    /** A history of {@link #DEFAULT_CAPACITY} packets. */
    public SendHistory() {
        this(DEFAULT_CAPACITY);
    }

    /**
     * @param capacity slots, rounded up to a power of two, in 16..{@link #MAX_CAPACITY}
     */
    public SendHistory(int capacity) {
        int c = Integer.highestOneBit(Math.max(16, Math.min(MAX_CAPACITY, capacity)) * 2 - 1);
        mask = c - 1;
        seqs = new long[c];
        sendNanos = new long[c];
        sizes = new int[c];
        probeIds = new int[c];
        flags = new byte[c];
        Arrays.fill(seqs, EMPTY);
    }

    /**
     * Records a sent packet. A sequence number not newer than the newest already recorded (a
     * duplicate or a late call) and a negative size are ignored.
     *
     * @param probeClusterId the probe cluster the packet belongs to, or -1
     */
    public void onSent(int transportSeq, int sizeBytes, long sendNanos, int probeClusterId,
                       boolean isRetransmissionOrPadding) {
        if (sizeBytes < 0) {
            return;
        }
        long seq;
        if (!started) {
            // start one cycle up so that feedback for numbers just below the first stays positive
            seq = (transportSeq & 0xFFFF) + 0x10000L;
            started = true;
            oldest = seq;
        } else {
            seq = newest + SequenceNumbers.diff(transportSeq & 0xFFFF, (int) (newest & 0xFFFF));
            if (seq <= newest) {
                return;
            }
        }
        if (seq - oldest > mask) {
            if (seq - newest > mask) {
                clear(seq);
            } else {
                while (seq - oldest > mask) {
                    evictOldest();
                }
            }
        }
        while (oldest < seq && isStale(oldest, sendNanos)) {
            evictOldest();
        }
        int slot = (int) (seq & mask);
        this.seqs[slot] = seq;
        this.sendNanos[slot] = sendNanos;
        this.sizes[slot] = sizeBytes;
        this.probeIds[slot] = probeClusterId;
        this.flags[slot] = isRetransmissionOrPadding ? FLAG_PADDING : 0;
        newest = seq;
        inFlightBytes += sizeBytes;
        inFlightPackets++;
    }

    /** Whether the entry for {@code seq} is empty or older than the age limit. */
    private boolean isStale(long seq, long nowNanos) {
        int slot = (int) (seq & mask);
        return seqs[slot] != seq || nowNanos - sendNanos[slot] > MAX_AGE_NANOS;
    }

    private void evictOldest() {
        int slot = (int) (oldest & mask);
        if (seqs[slot] == oldest) {
            forget(slot);
        }
        oldest++;
    }

    private void forget(int slot) {
        if ((flags[slot] & FLAG_REPORTED) == 0) {
            inFlightBytes -= sizes[slot];
            inFlightPackets--;
        }
        seqs[slot] = EMPTY;
    }

    private void clear(long nextSeq) {
        for (int slot = 0; slot <= mask; slot++) {
            if (seqs[slot] != EMPTY) {
                forget(slot);
            }
        }
        oldest = nextSeq;
    }

    /**
     * Converts one feedback into per-packet results in {@code out} (cleared first) and returns how
     * many packets it holds. An invalid view, or a view before any packet was sent, yields 0.
     */
    public int onFeedback(TransportFeedbackView feedback, long nowNanos, PacketResults out) {
        out.reset(nowNanos);
        if (feedback.invalidReason() != null || !started) {
            out.inFlightBytesAfter(inFlightBytes);
            return 0;
        }
        int ticks = feedback.referenceTimeTicks();
        if (!haveReference) {
            haveReference = true;
            referenceTicks = ticks;
        } else {
            referenceTicks += ((ticks - lastReferenceTicks) << 8) >> 8;
        }
        lastReferenceTicks = ticks;
        long referenceUs = referenceTicks * TransportFeedbackView.REFERENCE_TICK_US;
        long wireReferenceUs = feedback.referenceTimeUs();
        int newestLow = (int) (newest & 0xFFFF);
        feedback.startPackets();
        while (feedback.nextPacket()) {
            long seq = newest + SequenceNumbers.diff(feedback.sequenceNumber(), newestLow);
            int slot = (int) (seq & mask);
            if (seq < oldest || seq > newest || seqs[slot] != seq) {
                unknownReported++;
                continue;
            }
            byte f = flags[slot];
            if ((f & FLAG_RECEIVED) != 0) {
                continue;
            }
            long arrival;
            if (feedback.isReceived()) {
                arrival = (referenceUs + feedback.arrivalTimeUs() - wireReferenceUs) * NANOS_PER_US;
                f |= FLAG_RECEIVED;
            } else if ((f & FLAG_REPORTED) != 0) {
                continue;
            } else {
                arrival = PacketResults.NOT_RECEIVED;
            }
            if ((f & FLAG_REPORTED) == 0) {
                f |= FLAG_REPORTED;
                inFlightBytes -= sizes[slot];
                inFlightPackets--;
            }
            flags[slot] = f;
            out.add(seq, sendNanos[slot], arrival, sizes[slot], probeIds[slot], (f & FLAG_PADDING) != 0);
        }
        out.inFlightBytesAfter(inFlightBytes);
        return out.count();
    }

    /** Bytes sent and not yet reported by any feedback (nor evicted). */
    public long inFlightBytes() {
        return inFlightBytes;
    }

    /** Packets sent and not yet reported by any feedback (nor evicted). */
    public int inFlightPackets() {
        return inFlightPackets;
    }

    /** Reported packets the history did not hold, since creation (diagnostics). */
    public long unknownReported() {
        return unknownReported;
    }

    /** Number of slots. */
    public int capacity() {
        return mask + 1;
    }

    /** Unwrapped sequence number of the newest packet sent, or -1 before the first. */
    public long newestSequence() {
        return started ? newest : -1;
    }
}
