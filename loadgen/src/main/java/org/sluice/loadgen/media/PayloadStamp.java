package org.sluice.loadgen.media;

import io.netty.buffer.ByteBuf;

/**
 * The load generator's end-of-payload stamp: a filler of check words followed by a 24-byte trailer
 * {@code magic | stream id | origin sequence | filler length | send time (System.nanoTime)}. The SFU
 * forwards payloads without decoding them, so a viewer can prove per packet that it got the
 * publisher's bytes unchanged, which publisher stream they came from, where in that stream, and how
 * long they took.
 *
 * <p>The filler's 8-byte words derive from the stream id and origin sequence, so a payload moved to the
 * wrong stream or corrupted in any word fails the check. Everything is read with bounds checks; a
 * payload too short or malformed answers a failure code, never an exception.
 */
public final class PayloadStamp {

    /** Trailer bytes. */
    public static final int TRAILER_LENGTH = 24;
    /** "SLGS": marks a payload the load generator made. */
    public static final int MAGIC = 0x534C4753;

    /** The stamp checks out. */
    public static final int OK = 0;
    /** Fewer bytes than a trailer. */
    public static final int TOO_SHORT = 1;
    /** The trailer's magic is not ours. */
    public static final int BAD_MAGIC = 2;
    /** The filler length does not fit the payload. */
    public static final int BAD_LENGTH = 3;
    /** A filler word differs from what the stream id and origin sequence give. */
    public static final int BAD_FILLER = 4;

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private int streamId;
    private int originSequence;
    private long sendNanos;

    /**
     * Appends {@code fillerWords} check words and the trailer at {@code out}'s writer index.
     */
    public static void write(ByteBuf out, int fillerWords, int streamId, int originSequence, long sendNanos) {
        long seed = seed(streamId, originSequence);
        for (int k = 0; k < fillerWords; k++) {
            out.writeLong(word(seed, k));
        }
        out.writeInt(MAGIC);
        out.writeInt(streamId);
        out.writeInt(originSequence);
        out.writeInt(fillerWords * 8);
        out.writeLong(sendNanos);
    }

    /** Bytes a stamp with {@code fillerWords} words takes. */
    public static int length(int fillerWords) {
        return fillerWords * 8 + TRAILER_LENGTH;
    }

    /**
     * Checks the stamp that ends at {@code end} (exclusive) and starts no earlier than {@code start};
     * on {@link #OK} the getters hold its fields.
     */
    public int check(ByteBuf buf, int start, int end) {
        if (start < 0 || end > buf.writerIndex() || end - start < TRAILER_LENGTH) {
            return TOO_SHORT;
        }
        int trailer = end - TRAILER_LENGTH;
        if (buf.getInt(trailer) != MAGIC) {
            return BAD_MAGIC;
        }
        int id = buf.getInt(trailer + 4);
        int origin = buf.getInt(trailer + 8);
        int fillerLength = buf.getInt(trailer + 12);
        if (fillerLength < 0 || (fillerLength & 7) != 0 || fillerLength > trailer - start) {
            return BAD_LENGTH;
        }
        long seed = seed(id, origin);
        int fillerStart = trailer - fillerLength;
        for (int k = 0, words = fillerLength >>> 3; k < words; k++) {
            if (buf.getLong(fillerStart + 8 * k) != word(seed, k)) {
                return BAD_FILLER;
            }
        }
        this.streamId = id;
        this.originSequence = origin;
        this.sendNanos = buf.getLong(trailer + 16);
        return OK;
    }

    public int streamId() {
        return streamId;
    }

    public int originSequence() {
        return originSequence;
    }

    public long sendNanos() {
        return sendNanos;
    }

    private static long seed(int streamId, int originSequence) {
        return ((long) streamId << 32) | (originSequence & 0xFFFFFFFFL);
    }

    private static long word(long seed, int k) {
        return seed ^ ((k + 1) * GOLDEN);
    }
}
