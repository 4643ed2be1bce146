package org.sluice.core.sctp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The receiving half of an association: which TSNs arrived (for SACK and its gap blocks),
 * reassembly of fragments into messages, in-order delivery per stream by SSN, FORWARD-TSN
 * (RFC 3758) skips and incoming stream resets (RFC 6525). TSNs are kept unwrapped to 64 bits
 * relative to the cumulative TSN. Everything buffered counts against the receive window; a chunk
 * that would overflow it is dropped unrecorded (the peer sends it again). Not thread-safe.
 */
final class InboundData {

    /** Where complete messages go. */
    interface Delivery {
        void deliver(int streamId, int ppid, byte[] data, boolean unordered);
    }

    private record Fragment(int streamId, int ssn, int ppid, int flags, byte[] data) {
        boolean begin() {
            return (flags & Chunks.FLAG_BEGIN) != 0;
        }

        boolean end() {
            return (flags & Chunks.FLAG_END) != 0;
        }

        boolean unordered() {
            return (flags & Chunks.FLAG_UNORDERED) != 0;
        }
    }

    private record Message(int ppid, byte[] data) {
    }

    /** Gap blocks beyond this many are left out of a SACK (they come back in later ones). */
    static final int MAX_GAP_BLOCKS = 64;
    /** Furthest a TSN may be ahead of the cumulative TSN (gap offsets are 16-bit). */
    private static final long MAX_TSN_AHEAD = 65_000;

    private final int window;
    private final int maxMessageSize;
    private final SctpCounters counters;
    private final Delivery delivery;
    private final TreeSet<Long> receivedAbove = new TreeSet<>();
    private final TreeMap<Long, Fragment> fragments = new TreeMap<>();
    private final Map<Integer, Integer> nextSsn = new HashMap<>();
    private final Map<Integer, TreeMap<Integer, Message>> waiting = new HashMap<>();
    private long cumulative;
    private int buffered;
    private boolean duplicateSeen;

    InboundData(int peerInitialTsn, int window, int maxMessageSize, SctpCounters counters, Delivery delivery) {
        this.cumulative = (peerInitialTsn - 1) & 0xffffffffL;
        this.window = window;
        this.maxMessageSize = maxMessageSize;
        this.counters = counters;
        this.delivery = delivery;
    }

    /** The cumulative TSN ack point as the 32-bit wire value. */
    int cumulativeTsn() {
        return (int) cumulative;
    }

    /** The unwrapped TSN of a wire value, taken as the nearest to the cumulative point. */
    long unwrap(int tsn) {
        return cumulative + (tsn - (int) cumulative);
    }

    boolean hasGaps() {
        return !receivedAbove.isEmpty();
    }

    /** Whether a duplicate arrived since the last call (RFC 9260 §6.2: SACK at once). */
    boolean takeDuplicateSeen() {
        boolean d = duplicateSeen;
        duplicateSeen = false;
        return d;
    }

    int advertisedWindow() {
        return Math.max(0, window - buffered);
    }

    /** Takes one DATA chunk; false if it was dropped (duplicate, out of window, no room). */
    boolean onData(int tsn, int streamId, int ssn, int ppid, int flags, byte[] payload) {
        long t = unwrap(tsn);
        if (t <= cumulative || receivedAbove.contains(t)) {
            counters.dataChunksDuplicate.increment();
            duplicateSeen = true;
            return false;
        }
        boolean next = t == cumulative + 1;
        if (t - cumulative > MAX_TSN_AHEAD
                || buffered + payload.length > (next ? 2 * window : window)) {
            counters.dataChunksDropped.increment();
            return false;
        }
        receivedAbove.add(t);
        advanceCumulative();
        buffered += payload.length;
        fragments.put(t, new Fragment(streamId, ssn, ppid, flags, payload));
        reassemble(t);
        return true;
    }

    /** FORWARD-TSN: the peer gave up everything up to {@code newCumulative}; {@code skips} are (stream, ssn) pairs. */
    void onForwardTsn(int newCumulative, int[] skipStreams, int[] skipSsns) {
        long n = unwrap(newCumulative);
        if (n <= cumulative || n - cumulative > MAX_TSN_AHEAD) {
            return;
        }
        cumulative = n;
        receivedAbove.headSet(n, true).clear();
        advanceCumulative();
        Iterator<Map.Entry<Long, Fragment>> it = fragments.headMap(n, true).entrySet().iterator();
        while (it.hasNext()) {
            buffered -= it.next().getValue().data().length;
            it.remove();
        }
        for (int i = 0; i < skipStreams.length; i++) {
            int sid = skipStreams[i];
            int skipTo = skipSsns[i];
            int expected = nextSsn.getOrDefault(sid, 0);
            if (serial16Ge(skipTo, expected)) {
                TreeMap<Integer, Message> queue = waiting.get(sid);
                if (queue != null) {
                    queue.entrySet().removeIf(e -> {
                        boolean skipped = serial16Ge(skipTo, e.getKey());
                        if (skipped) {
                            buffered -= e.getValue().data().length;
                        }
                        return skipped;
                    });
                }
                nextSsn.put(sid, (skipTo + 1) & 0xffff);
                deliverReady(sid);
            }
        }
    }

    /** RFC 6525: the peer reset its outgoing streams; their next SSN is 0 again. */
    void resetStreams(int[] streamIds) {
        for (int sid : streamIds) {
            nextSsn.put(sid, 0);
            deliverReady(sid);
        }
    }

    /** Gap ack blocks as (start, end) offsets from the cumulative TSN, at most {@code max} of them. */
    List<int[]> gapBlocks(int max) {
        List<int[]> blocks = new ArrayList<>();
        long start = -1;
        long end = -1;
        for (long t : receivedAbove) {
            if (start < 0) {
                start = t;
                end = t;
            } else if (t == end + 1) {
                end = t;
            } else {
                blocks.add(new int[] {(int) (start - cumulative), (int) (end - cumulative)});
                if (blocks.size() == max) {
                    return blocks;
                }
                start = t;
                end = t;
            }
        }
        if (start >= 0 && blocks.size() < max) {
            blocks.add(new int[] {(int) (start - cumulative), (int) (end - cumulative)});
        }
        return blocks;
    }

    private void advanceCumulative() {
        while (!receivedAbove.isEmpty() && receivedAbove.first() == cumulative + 1) {
            cumulative = receivedAbove.pollFirst();
        }
        while (!receivedAbove.isEmpty() && receivedAbove.first() <= cumulative) {
            receivedAbove.pollFirst();
        }
    }

    /** Tries to complete the message {@code tsn} belongs to. */
    private void reassemble(long tsn) {
        Fragment f = fragments.get(tsn);
        long first = tsn;
        Fragment head = f;
        int size = f.data().length;
        while (!head.begin()) {
            Fragment prev = fragments.get(first - 1);
            if (prev == null || !sameMessage(prev, f) || prev.end()) {
                return;
            }
            first--;
            head = prev;
            size += prev.data().length;
        }
        long last = tsn;
        Fragment tail = f;
        while (!tail.end()) {
            Fragment nextFragment = fragments.get(last + 1);
            if (nextFragment == null || !sameMessage(nextFragment, f) || nextFragment.begin()) {
                return;
            }
            last++;
            tail = nextFragment;
            size += nextFragment.data().length;
        }
        Map<Long, Fragment> parts = fragments.subMap(first, true, last, true);
        if (size > maxMessageSize) {
            counters.messagesOversize.increment();
            buffered -= size;
            parts.clear();
            return;
        }
        byte[] data = new byte[size];
        int at = 0;
        for (Fragment part : parts.values()) {
            System.arraycopy(part.data(), 0, data, at, part.data().length);
            at += part.data().length;
        }
        parts.clear();
        if (f.unordered()) {
            buffered -= size;
            counters.messagesDelivered.increment();
            delivery.deliver(f.streamId(), head.ppid(), data, true);
            return;
        }
        int expected = nextSsn.getOrDefault(f.streamId(), 0);
        if (!serial16Ge(f.ssn(), expected)) {
            buffered -= size; // an SSN already delivered or skipped
            counters.dataChunksDuplicate.increment();
            return;
        }
        waiting.computeIfAbsent(f.streamId(), k -> new TreeMap<>()).put(f.ssn(), new Message(head.ppid(), data));
        deliverReady(f.streamId());
    }

    private void deliverReady(int sid) {
        TreeMap<Integer, Message> queue = waiting.get(sid);
        if (queue == null) {
            return;
        }
        int expected = nextSsn.getOrDefault(sid, 0);
        Message m;
        while ((m = queue.remove(expected)) != null) {
            buffered -= m.data().length;
            expected = (expected + 1) & 0xffff;
            nextSsn.put(sid, expected);
            counters.messagesDelivered.increment();
            delivery.deliver(sid, m.ppid(), m.data(), false);
        }
        if (queue.isEmpty()) {
            waiting.remove(sid);
        }
    }

    private static boolean sameMessage(Fragment a, Fragment b) {
        return a.streamId() == b.streamId() && a.unordered() == b.unordered()
                && (a.unordered() || a.ssn() == b.ssn());
    }

    /** a >= b in 16-bit serial arithmetic. */
    static boolean serial16Ge(int a, int b) {
        return ((a - b) & 0xffff) < 0x8000;
    }
}
