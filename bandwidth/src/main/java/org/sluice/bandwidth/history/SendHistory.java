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
 * <p>Size: there is one history per receiver transport, so the ring starts small ({@link
 * #DEFAULT_INITIAL_CAPACITY} slots) and doubles, up to its maximum, when a newer packet needs the
 * slot of an entry that a feedback may still report with something new: a packet not reported
 * received that is either newer than every packet reported so far (its report is still to come,
 * however slow the feedback path) or younger than {@link #LATE_REPORT_NANOS}. Feedback comes every
 * 50 to 250 ms and covers the packets that arrived since the previous one, so at ordinary rates
 * the packets awaiting a report fit in the initial ring; it grows for high packet rates and slow
 * or held-up feedback, and never shrinks. At its maximum it evicts the oldest entry, as a ring of
 * fixed size does.
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
 * <p>Allocation happens only in the constructor and when the ring doubles (at most {@code
 * log2(max / initial)} times in its life); a steady stream of packets and feedback allocates
 * nothing. Not thread-safe.
 */
public final class SendHistory {
    /** Default maximum number of slots: about 80 s at 100 packets/s, 8 s at 1000 packets/s. */
    public static final int DEFAULT_CAPACITY = 8192;
    /**
     * Default initial number of slots: 5 s at 100 packets/s, 0.5 s at 1000 packets/s, against
     * feedback that reports a packet within about 100 ms to 1 s of sending.
     */
    public static final int DEFAULT_INITIAL_CAPACITY = 512;
    /** Largest capacity: half the 16-bit sequence space keeps feedback unwrapping unambiguous. */
    public static final int MAX_CAPACITY = 1 << 15;
    /** Age after which a packet is forgotten. */
    public static final long MAX_AGE_NANOS = 60_000_000_000L;
    /**
     * Age up to which a packet reported lost, or skipped by feedback (the feedback that covered it
     * was lost), may still be reported: by a reordered feedback, or as a late arrival that the
     * receiver reports again (libwebrtc re-reports arrivals up to 500 ms behind its newest). The
     * ring does not grow to keep such a packet longer.
     */
    public static final long LATE_REPORT_NANOS = 2_000_000_000L;
    private static final int MIN_CAPACITY = 16;

    private static final byte FLAG_PADDING = 1;
    private static final byte FLAG_REPORTED = 2;
    private static final byte FLAG_RECEIVED = 4;
    private static final long EMPTY = Long.MIN_VALUE;
    private static final long NANOS_PER_US = 1000;

    private final int maxCapacity;
    private int mask;
    private long[] seqs;
    private long[] sendNanos;
    private int[] sizes;
    private int[] probeIds;
    private byte[] flags;

    private boolean started;
    private long newest;
    private long oldest;
    /** The newest sequence number any feedback reported: older unreported packets were skipped. */
    private long newestReported = Long.MIN_VALUE;
    private long inFlightBytes;
    private int inFlightPackets;
    private long unknownReported;

    private boolean haveReference;
    private int lastReferenceTicks;
    private long referenceTicks;

    /**
     * A history of {@link #DEFAULT_INITIAL_CAPACITY} slots growing up to {@link
     * #DEFAULT_CAPACITY}.
     */
    public SendHistory() {
        this(DEFAULT_INITIAL_CAPACITY, DEFAULT_CAPACITY);
    }

    /**
     * A ring of a fixed size, which never grows.
     *
     * @param capacity slots, rounded up to a power of two, in 16..{@link #MAX_CAPACITY}
     */
    public SendHistory(int capacity) {
        this(capacity, capacity);
    }

    /**
     * A ring of {@code initialCapacity} slots that grows up to {@code maxCapacity}. Both are
     * rounded up to a power of two in 16..{@link #MAX_CAPACITY}; the maximum is at least the
     * initial capacity.
     */
    public SendHistory(int initialCapacity, int maxCapacity) {
        int initial = powerOfTwoSlots(initialCapacity);
        this.maxCapacity = Math.max(initial, powerOfTwoSlots(maxCapacity));
        allocate(initial);
    }

    private static int powerOfTwoSlots(int capacity) {
        return Integer.highestOneBit(Math.max(MIN_CAPACITY, Math.min(MAX_CAPACITY, capacity)) * 2 - 1);
    }

    /** Replaces the arrays by empty ones of {@code slots} slots. */
    private void allocate(int slots) {
        mask = slots - 1;
        seqs = new long[slots];
        sendNanos = new long[slots];
        sizes = new int[slots];
        probeIds = new int[slots];
        flags = new byte[slots];
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
            makeRoom(seq, sendNanos);
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

    /**
     * Frees the slot of {@code seq}: doubles the ring while an entry that would have to leave is
     * still useful and the maximum is not reached, then evicts what still does not fit.
     */
    private void makeRoom(long seq, long nowNanos) {
        while (mask + 1 < maxCapacity && seq - oldest > mask && anyUsefulBelow(seq - mask, nowNanos)) {
            grow();
        }
        if (seq - newest > mask) {
            clear(seq);
        } else {
            while (seq - oldest > mask) {
                evictOldest();
            }
        }
    }

    /** Whether an entry from the oldest up to, not including, {@code limit} is useful. */
    private boolean anyUsefulBelow(long limit, long nowNanos) {
        long end = Math.min(limit, newest + 1);
        for (long s = oldest; s < end; s++) {
            if (isUseful(s, nowNanos)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a feedback may still report {@code seq} with something new: it is held, not yet
     * reported received, and not older than the age limit; and either no feedback has reported a
     * newer packet yet (its report is still to come, however slow the feedback path), or it was
     * sent within {@link #LATE_REPORT_NANOS}. A packet reported received is reported only once, so
     * it is never useful.
     */
    private boolean isUseful(long seq, long nowNanos) {
        int slot = (int) (seq & mask);
        if (seqs[slot] != seq || (flags[slot] & FLAG_RECEIVED) != 0) {
            return false;
        }
        long age = nowNanos - sendNanos[slot];
        return age <= MAX_AGE_NANOS && (seq > newestReported || age < LATE_REPORT_NANOS);
    }

    /** Doubles the ring, moving each held entry to its slot under the new mask. */
    private void grow() {
        long[] oldSeqs = seqs;
        long[] oldSendNanos = sendNanos;
        int[] oldSizes = sizes;
        int[] oldProbeIds = probeIds;
        byte[] oldFlags = flags;
        int oldMask = mask;
        allocate((mask + 1) * 2);
        for (long s = oldest; s <= newest; s++) {
            int from = (int) (s & oldMask);
            if (oldSeqs[from] == s) {
                int to = (int) (s & mask);
                seqs[to] = s;
                sendNanos[to] = oldSendNanos[from];
                sizes[to] = oldSizes[from];
                probeIds[to] = oldProbeIds[from];
                flags[to] = oldFlags[from];
            }
        }
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
            newestReported = Math.max(newestReported, seq);
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

    /** Number of slots now. */
    public int capacity() {
        return mask + 1;
    }

    /** Number of slots the ring may grow to. */
    public int maxCapacity() {
        return maxCapacity;
    }

    /** Unwrapped sequence number of the newest packet sent, or -1 before the first. */
    public long newestSequence() {
        return started ? newest : -1;
    }
}
