package org.sluice.rtp.frame;

import java.util.Arrays;

/**
 * A fixed-capacity open-addressing map from {@code long} keys to non-negative {@code int} values
 * (linear probing, backward-shift deletion), allocation-free after construction. Used by
 * {@link FrameTracker} to find frames by (timestamp, spatial layer) and by frame id. A put into a
 * full table is dropped; the tracker sizes tables at twice the frames it can hold, so that never
 * happens.
 */
final class LongIntMap {

    private static final long EMPTY = Long.MIN_VALUE;

    private final long[] keys;
    private final int[] values;
    private final int mask;
    private int size;

    LongIntMap(int maxEntries) {
        int capacity = Integer.highestOneBit(Math.max(4, maxEntries) * 2 - 1) << 1;
        keys = new long[capacity];
        values = new int[capacity];
        mask = capacity - 1;
        Arrays.fill(keys, EMPTY);
    }

    private int home(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** The value for {@code key}, or -1. */
    int get(long key) {
        int i = home(key);
        while (keys[i] != EMPTY) {
            if (keys[i] == key) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    /** Maps {@code key} to {@code value}, replacing any previous value. */
    void put(long key, int value) {
        int i = home(key);
        while (keys[i] != EMPTY) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        if (size >= mask) {
            return;
        }
        keys[i] = key;
        values[i] = value;
        size++;
    }

    /** Removes {@code key} only while it maps to {@code value}. */
    void remove(long key, int value) {
        int i = home(key);
        while (keys[i] != EMPTY) {
            if (keys[i] == key) {
                if (values[i] == value) {
                    delete(i);
                }
                return;
            }
            i = (i + 1) & mask;
        }
    }

    private void delete(int hole) {
        int i = hole;
        int j = hole;
        while (true) {
            j = (j + 1) & mask;
            if (keys[j] == EMPTY) {
                break;
            }
            int k = home(keys[j]);
            // Move entry j into the hole unless its home lies cyclically in (i, j].
            boolean stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
            if (!stays) {
                keys[i] = keys[j];
                values[i] = values[j];
                i = j;
            }
        }
        keys[i] = EMPTY;
        size--;
    }

    int size() {
        return size;
    }

    void clear() {
        Arrays.fill(keys, EMPTY);
        size = 0;
    }
}
