package org.sluice.rtp.rtcp.twcc;

/**
 * Collects the delta sizes (0 = not received, 1 = small, 2 = large) of packets not yet encoded and
 * turns them into packet status chunks the way libwebrtc's {@code TransportFeedback::LastChunk}
 * does: a run-length chunk while all sizes are equal, otherwise a 1-bit vector of 14 statuses when
 * no large delta is among them, otherwise 2-bit vectors of 7.
 */
final class StatusChunkEncoder {
    static final int MAX_RUN_LENGTH = 0x1FFF;
    static final int ONE_BIT_CAPACITY = 14;
    static final int TWO_BIT_CAPACITY = 7;

    private final int[] sizes = new int[ONE_BIT_CAPACITY];
    private int size;
    private boolean allSame;
    private boolean hasLarge;

    StatusChunkEncoder() {
        clear();
    }

    void clear() {
        size = 0;
        allSame = true;
        hasLarge = false;
    }

    boolean isEmpty() {
        return size == 0;
    }

    boolean canAdd(int deltaSize) {
        if (size < TWO_BIT_CAPACITY) {
            return true;
        }
        if (size < ONE_BIT_CAPACITY && !hasLarge && deltaSize != 2) {
            return true;
        }
        return size < MAX_RUN_LENGTH && allSame && sizes[0] == deltaSize;
    }

    void add(int deltaSize) {
        if (size < ONE_BIT_CAPACITY) {
            sizes[size] = deltaSize;
        }
        size++;
        allSame = allSame && deltaSize == sizes[0];
        hasLarge = hasLarge || deltaSize == 2;
    }

    /** Encodes a full chunk when the next size cannot be added; keeps what the chunk did not take. */
    int emit() {
        if (allSame) {
            int chunk = runLength();
            clear();
            return chunk;
        }
        if (size == ONE_BIT_CAPACITY) {
            int chunk = oneBit();
            clear();
            return chunk;
        }
        int chunk = twoBit(TWO_BIT_CAPACITY);
        size -= TWO_BIT_CAPACITY;
        allSame = true;
        hasLarge = false;
        for (int i = 0; i < size; i++) {
            int s = sizes[TWO_BIT_CAPACITY + i];
            sizes[i] = s;
            allSame = allSame && s == sizes[0];
            hasLarge = hasLarge || s == 2;
        }
        return chunk;
    }

    /** Encodes what is left as the last chunk of a packet. */
    int encodeLast() {
        if (allSame) {
            return runLength();
        }
        if (size <= TWO_BIT_CAPACITY) {
            return twoBit(size);
        }
        return oneBit();
    }

    private int runLength() {
        return (sizes[0] << 13) | size;
    }

    private int oneBit() {
        int chunk = 0x8000;
        for (int i = 0; i < size; i++) {
            chunk |= sizes[i] << (ONE_BIT_CAPACITY - 1 - i);
        }
        return chunk;
    }

    private int twoBit(int count) {
        int chunk = 0xC000;
        for (int i = 0; i < count; i++) {
            chunk |= sizes[i] << (2 * (TWO_BIT_CAPACITY - 1 - i));
        }
        return chunk;
    }

    void copyFrom(StatusChunkEncoder other) {
        System.arraycopy(other.sizes, 0, sizes, 0, ONE_BIT_CAPACITY);
        size = other.size;
        allSame = other.allSame;
        hasLarge = other.hasLarge;
    }
}
