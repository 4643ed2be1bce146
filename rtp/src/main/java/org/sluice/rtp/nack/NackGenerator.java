package org.sluice.rtp.nack;

import org.sluice.rtp.seq.SequenceNumbers;

import java.util.Arrays;

/**
 * Receive-side loss tracker of one inbound RTP stream (one SSRC): it learns which sequence numbers
 * are missing from the packets that arrive, and says which of them to NACK (RFC 4585 §6.2.1) and
 * when.
 *
 * <p>A gap behind a newer packet is first held for {@link NackSettings#reorderHoldNanos()}, since
 * most gaps on a path are reordering that heals within milliseconds. After that a missing packet is
 * NACKed, then NACKed again every round-trip time (never faster than
 * {@link NackSettings#minRetryIntervalNanos()}) until it arrives, it has been NACKed
 * {@link NackSettings#maxTries()} times without answer, it has been missing longer than
 * {@link NackSettings#maxAgeNanos()}, or the {@link TooLate} filter says it no longer matters. A
 * packet given up on for tries or age leaves a hole in the media, so the generator then asks for a
 * keyframe ({@link #takeKeyframeNeeded()}); so it does when the stream jumps or more packets are
 * missing than it tracks.
 *
 * <p>When a NACKed packet arrives, {@link #onPacket} returns the time since its last NACK, a
 * round-trip sample that includes the sender's retransmission delay (feed it to a
 * {@link RttFilter} when no RTCP round-trip time is known).
 *
 * <p>Feed retransmissions too, with their original sequence number: an RTX packet after
 * {@link RtxPackets#unwrapInPlace}, or its {@link RtxPackets#originalSequence}.
 *
 * <h2>Sequence numbers</h2>
 * Sequence numbers wrap at 2^16; the generator keeps them unwrapped internally. A packet ahead of
 * the highest one by at most {@link NackSettings#maxMissing()} marks the gap missing; further ahead
 * is a stream restart: everything missing is forgotten, a keyframe is needed and tracking continues
 * from the new packet. A packet behind the highest one fills its hole when it is missing, and is
 * otherwise a duplicate or too old and is ignored. Behind by more than {@code maxMissing} and not
 * missing, it may also be a sender that restarted at a lower number: {@value #RESTART_RUN}
 * consecutive such packets, each following the previous one, are taken as a restart (a single late
 * retransmission or duplicate is not).
 *
 * <h2>Cost</h2>
 * All state lives in arrays of {@code maxMissing} entries allocated by the constructor, kept sorted
 * oldest first; no method allocates. {@link #onPacket} is O(log n) for a packet in order and
 * O(n) at worst when a hole is filled; {@link #collectDue} is O(n). Single-threaded: one generator
 * belongs to the event loop of its stream. Time is passed in as {@code nowNanos} from one monotonic
 * clock (such as {@link System#nanoTime()}); the generator never reads a clock.
 */
public final class NackGenerator {

    /** Consecutive far-behind packets, each following the previous one, that mean a restart. */
    public static final int RESTART_RUN = 4;

    /** Round-trip time assumed by {@link #collectDue} when the caller knows none. */
    public static final long DEFAULT_RTT_NANOS = 100_000_000L;

    /**
     * Says that a missing packet is no longer worth requesting, for example because the jitter
     * buffer has already given up on the frame it belongs to.
     */
    @FunctionalInterface
    public interface TooLate {
        /** Whether {@code sequenceNumber} (16-bit) would arrive too late to be of use. */
        boolean tooLate(int sequenceNumber, long nowNanos);
    }

    private final NackSettings settings;
    private final int capacity;

    // Missing entries, sorted by unwrapped sequence number, at indexes [head, head + size).
    private final long[] seqs;
    private final long[] firstSeen;
    private final long[] lastNack;
    private final int[] tries;
    private int head;
    private int size;

    private boolean lastNew;
    private boolean initialized;
    private long highest;
    private int farRun;
    private int farLast;
    private boolean keyframeNeeded;
    private TooLate tooLate;

    private long nackedPackets;
    private long recovered;
    private long givenUp;

    /** A generator with arrays sized for {@code settings.maxMissing()} entries. */
    public NackGenerator(NackSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("settings must not be null");
        }
        this.settings = settings;
        this.capacity = settings.maxMissing();
        this.seqs = new long[capacity];
        this.firstSeen = new long[capacity];
        this.lastNack = new long[capacity];
        this.tries = new int[capacity];
    }

    /** The settings this generator was built with. */
    public NackSettings settings() {
        return settings;
    }

    /**
     * Sets the filter {@link #collectDue} asks before NACKing a packet; {@code null} for none. Hold
     * it in a field rather than passing a fresh capturing lambda, to keep the hot path allocation-free.
     */
    public void tooLate(TooLate filter) {
        this.tooLate = filter;
    }

    /**
     * Records the arrival of {@code sequenceNumber} (only the low 16 bits count).
     *
     * @return when the packet fills a hole that was NACKed at least once, the nanoseconds since its
     *         last NACK (0 if the clock went backwards); otherwise -1
     */
    public long onPacket(int sequenceNumber, long nowNanos) {
        int seq = sequenceNumber & 0xFFFF;
        lastNew = true;
        if (!initialized) {
            initialized = true;
            highest = seq;
            return -1;
        }
        int diff = SequenceNumbers.diff(seq, (int) highest);
        if (diff == 0) {
            farRun = 0;
            lastNew = false;
            return -1;
        }
        if (diff > 0) {
            farRun = 0;
            if (diff > capacity) {
                restart(seq);
            } else {
                addMissing(diff - 1, nowNanos);
                highest += diff;
            }
            return -1;
        }
        int at = size == 0 ? -1 : Arrays.binarySearch(seqs, head, head + size, highest + diff);
        if (at >= 0) {
            farRun = 0;
            long sample = tries[at] > 0 ? Math.max(0, nowNanos - lastNack[at]) : -1;
            if (sample >= 0) {
                recovered++;
            }
            removeAt(at);
            return sample;
        }
        lastNew = false; // behind the newest and not missing: a duplicate (or too old to tell)
        if (-diff > capacity) {
            farRun = farRun > 0 && seq == ((farLast + 1) & 0xFFFF) ? farRun + 1 : 1;
            farLast = seq;
            if (farRun >= RESTART_RUN) {
                restart(seq);
            }
        } else {
            farRun = 0;
        }
        return -1;
    }

    /**
     * Whether the packet last given to {@link #onPacket} was one not received before: the newest so far, or
     * one that filled a hole. False for duplicates and for packets too far behind to tell.
     */
    public boolean lastWasNew() {
        return lastNew;
    }

    private void restart(int seq) {
        givenUp += size;
        head = 0;
        size = 0;
        farRun = 0;
        highest = seq;
        keyframeNeeded = true;
    }

    /** Appends {@code count} missing numbers after {@link #highest}, dropping the oldest on overflow. */
    private void addMissing(int count, long nowNanos) {
        if (count == 0) {
            return;
        }
        int overflow = size + count - capacity;
        if (overflow > 0) {
            givenUp += overflow;
            head += overflow;
            size -= overflow;
            keyframeNeeded = true;
        }
        if (head + size + count > capacity) {
            System.arraycopy(seqs, head, seqs, 0, size);
            System.arraycopy(firstSeen, head, firstSeen, 0, size);
            System.arraycopy(lastNack, head, lastNack, 0, size);
            System.arraycopy(tries, head, tries, 0, size);
            head = 0;
        }
        int at = head + size;
        for (int i = 1; i <= count; i++, at++) {
            seqs[at] = highest + i;
            firstSeen[at] = nowNanos;
            lastNack[at] = 0;
            tries[at] = 0;
        }
        size += count;
    }

    /** Removes the entry at array index {@code at}, shifting whichever side is shorter. */
    private void removeAt(int at) {
        int before = at - head;
        int after = head + size - 1 - at;
        if (before < after) {
            System.arraycopy(seqs, head, seqs, head + 1, before);
            System.arraycopy(firstSeen, head, firstSeen, head + 1, before);
            System.arraycopy(lastNack, head, lastNack, head + 1, before);
            System.arraycopy(tries, head, tries, head + 1, before);
            head++;
        } else {
            System.arraycopy(seqs, at + 1, seqs, at, after);
            System.arraycopy(firstSeen, at + 1, firstSeen, at, after);
            System.arraycopy(lastNack, at + 1, lastNack, at, after);
            System.arraycopy(tries, at + 1, tries, at, after);
        }
        size--;
        if (size == 0) {
            head = 0;
        }
    }

    /**
     * Writes into {@code out} the sequence numbers (16-bit, in RTP order, oldest first) to NACK now
     * and returns how many; each counts as one more try, sent at {@code nowNanos}. The result can go
     * straight to {@link org.sluice.rtp.rtcp.NackWriter#write}.
     *
     * <p>A missing number is due {@link NackSettings#reorderHoldNanos()} after it was first seen
     * missing, then again every {@code max(rttNanos, minRetryIntervalNanos)} after its last NACK.
     * Along the way, entries are removed (counted in {@link #givenUp()}):
     * <ul>
     *   <li>missing for longer than {@link NackSettings#maxAgeNanos()}: a keyframe is needed;</li>
     *   <li>due again after {@link NackSettings#maxTries()} NACKs (so the last NACK still gets one
     *       retry interval to be answered): a keyframe is needed;</li>
     *   <li>due, and the {@link TooLate} filter says it is too late: no keyframe, the receiver
     *       decided it does not need the packet.</li>
     * </ul>
     * Due numbers that do not fit {@code out} stay due for the next call.
     *
     * @param rttNanos the current round-trip time, or 0 or less when unknown
     *                 ({@value #DEFAULT_RTT_NANOS} ns is used)
     */
    public int collectDue(long nowNanos, long rttNanos, int[] out) {
        long interval = Math.max(rttNanos > 0 ? rttNanos : DEFAULT_RTT_NANOS, settings.minRetryIntervalNanos());
        long maxAge = settings.maxAgeNanos();
        long hold = settings.reorderHoldNanos();
        int maxTries = settings.maxTries();
        TooLate filter = tooLate;
        int n = 0;
        int end = head + size;
        int w = head;
        for (int r = head; r < end; r++) {
            long age = nowNanos - firstSeen[r];
            boolean keep = true;
            if (age > maxAge) {
                keep = false;
                givenUp++;
                keyframeNeeded = true;
            } else if (tries[r] == 0 ? age >= hold : nowNanos - lastNack[r] >= interval) {
                int seq = (int) (seqs[r] & 0xFFFF);
                if (tries[r] >= maxTries) {
                    keep = false;
                    givenUp++;
                    keyframeNeeded = true;
                } else if (filter != null && filter.tooLate(seq, nowNanos)) {
                    keep = false;
                    givenUp++;
                } else if (n < out.length) {
                    out[n++] = seq;
                    tries[r]++;
                    lastNack[r] = nowNanos;
                    nackedPackets++;
                }
            }
            if (keep) {
                if (w != r) {
                    seqs[w] = seqs[r];
                    firstSeen[w] = firstSeen[r];
                    lastNack[w] = lastNack[r];
                    tries[w] = tries[r];
                }
                w++;
            }
        }
        size = w - head;
        if (size == 0) {
            head = 0;
        }
        return n;
    }

    /** Whether a keyframe is needed since the last call; true once per loss that needs one. */
    public boolean takeKeyframeNeeded() {
        boolean needed = keyframeNeeded;
        keyframeNeeded = false;
        return needed;
    }

    /** Total sequence numbers handed out by {@link #collectDue} (each retry counts again). */
    public long nackedPackets() {
        return nackedPackets;
    }

    /** Missing packets that arrived after having been NACKed at least once. */
    public long recovered() {
        return recovered;
    }

    /**
     * Missing packets abandoned: too old, too many tries, too late for the filter, dropped when the
     * missing list overflowed, or forgotten when the stream restarted.
     */
    public long givenUp() {
        return givenUp;
    }

    /** Sequence numbers currently missing. */
    public long missing() {
        return size;
    }

    /** The highest sequence number seen (16-bit), or -1 before the first packet. */
    public int highestSequenceNumber() {
        return initialized ? (int) (highest & 0xFFFF) : -1;
    }

    /**
     * Back to the state of a new generator: no packet seen, nothing missing, no keyframe pending,
     * counters at zero. The {@link TooLate} filter is kept.
     */
    public void reset() {
        head = 0;
        size = 0;
        initialized = false;
        highest = 0;
        farRun = 0;
        farLast = 0;
        keyframeNeeded = false;
        nackedPackets = 0;
        recovered = 0;
        givenUp = 0;
    }
}
