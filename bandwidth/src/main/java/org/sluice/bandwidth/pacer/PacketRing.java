package org.sluice.bandwidth.pacer;

/**
 * A first-in first-out ring of items with their sizes and enqueue times, in parallel arrays whose
 * length is a power of two. Grows by doubling when full, so a burst costs one copy and steady state
 * allocates nothing.
 */
final class PacketRing<T> {

    private Object[] items;
    private int[] sizes;
    private long[] times;
    private int mask;
    private int head;
    private int count;

    PacketRing(int initialCapacity) {
        int capacity = 1;
        while (capacity < initialCapacity) {
            capacity <<= 1;
        }
        items = new Object[capacity];
        sizes = new int[capacity];
        times = new long[capacity];
        mask = capacity - 1;
    }

    int size() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    int capacity() {
        return items.length;
    }

    void add(T item, int sizeBytes, long nowNanos) {
        if (count == items.length) {
            grow();
        }
        int slot = (head + count) & mask;
        items[slot] = item;
        sizes[slot] = sizeBytes;
        times[slot] = nowNanos;
        count++;
    }

    @SuppressWarnings("unchecked")
    T headItem() {
        return (T) items[head];
    }

    int headSize() {
        return sizes[head];
    }

    long headTime() {
        return times[head];
    }

    /** Forgets the head item (its reference is cleared); read it with the head accessors first. */
    void removeHead() {
        items[head] = null;
        head = (head + 1) & mask;
        count--;
    }

    private void grow() {
        int capacity = items.length;
        Object[] newItems = new Object[capacity << 1];
        int[] newSizes = new int[capacity << 1];
        long[] newTimes = new long[capacity << 1];
        int firstPart = capacity - head;
        System.arraycopy(items, head, newItems, 0, firstPart);
        System.arraycopy(items, 0, newItems, firstPart, head);
        System.arraycopy(sizes, head, newSizes, 0, firstPart);
        System.arraycopy(sizes, 0, newSizes, firstPart, head);
        System.arraycopy(times, head, newTimes, 0, firstPart);
        System.arraycopy(times, 0, newTimes, firstPart, head);
        items = newItems;
        sizes = newSizes;
        times = newTimes;
        head = 0;
        mask = (capacity << 1) - 1;
    }
}
