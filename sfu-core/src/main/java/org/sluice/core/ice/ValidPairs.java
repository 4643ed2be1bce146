package org.sluice.core.ice;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The bounded set of pairs that answered a valid check, each with the time of its last valid
 * check. Lookup by (address, kind) does not allocate. When full, the pair checked least recently
 * (other than a protected one, the selected pair) makes room.
 */
final class ValidPairs {

    /** One valid pair and when it was last checked. */
    static final class Entry {
        final IcePair pair;
        long lastCheckNanos;

        Entry(IcePair pair, long lastCheckNanos) {
            this.pair = pair;
            this.lastCheckNanos = lastCheckNanos;
        }
    }

    private final Entry[] entries;
    private int size;

    ValidPairs(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity must be at least 2");
        }
        this.entries = new Entry[capacity];
    }

    Entry find(InetSocketAddress remote, TransportKind kind) {
        for (int i = 0; i < size; i++) {
            if (entries[i].pair.matches(remote, kind)) {
                return entries[i];
            }
        }
        return null;
    }

    Entry add(IcePair pair, long nowNanos, Entry keep) {
        Entry entry = new Entry(pair, nowNanos);
        if (size < entries.length) {
            entries[size++] = entry;
            return entry;
        }
        int victim = -1;
        for (int i = 0; i < size; i++) {
            if (entries[i] != keep && (victim < 0 || entries[i].lastCheckNanos - entries[victim].lastCheckNanos < 0)) {
                victim = i;
            }
        }
        entries[victim] = entry;
        return entry;
    }

    /** Drops every pair except {@code a} and {@code b} (either may be null). */
    void retainOnly(Entry a, Entry b) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            Entry e = entries[i];
            if (e == a || e == b) {
                entries[kept++] = e;
            }
        }
        for (int i = kept; i < size; i++) {
            entries[i] = null;
        }
        size = kept;
    }

    /** The most recent valid check of any pair, or {@code fallback} if there is none. */
    long latestCheck(long fallback) {
        long latest = fallback;
        for (int i = 0; i < size; i++) {
            if (entries[i].lastCheckNanos - latest > 0) {
                latest = entries[i].lastCheckNanos;
            }
        }
        return latest;
    }

    int size() {
        return size;
    }

    List<IcePair> snapshot() {
        List<IcePair> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(entries[i].pair);
        }
        return List.copyOf(list);
    }
}
