package org.sluice.rtp.ext;

import io.netty.buffer.ByteBuf;
import org.sluice.rtp.RtpPacket;

/**
 * A reusable view over the RFC 8285 header extension block of a wrapped {@link RtpPacket}, in
 * either the one-byte form (profile {@code 0xBEDE}) or the two-byte form ({@code 0x100X}).
 *
 * <p>An element is identified by its <em>handle</em>: the absolute buffer index of its first data
 * byte. {@link #find(int)} returns the handle of an id, {@link #first()} and {@link #next(int)}
 * walk all elements without allocating, and {@link #idAt(int)} / {@link #lengthAt(int)} describe
 * a handle. Padding bytes (0) between elements are skipped; in the one-byte form an element with
 * id 15 ends the block (RFC 8285 §4.2).
 *
 * <p>Edits happen in the packet's buffer: {@link #set(int, byte[])} overwrites a value of the same
 * length, {@link #remove(int)} turns an element into padding, and {@link #add(int, int)} writes a
 * new element, growing the block and shifting the payload when needed (converting the block to the
 * two-byte form when the id is above 14 or the length outside 1..16). After {@code add} the
 * packet view is re-wrapped over the longer packet.
 *
 * <p>A packet without an extension wraps as an empty block, so elements can be added to it. A
 * packet with another extension profile, or a block whose elements overflow it, fails to wrap.
 * Handles are valid until the next edit that moves elements ({@code add}) or the next wrap.
 *
 * <p>Wrapping walks the block once and indexes the first element of every id, so {@link #find(int)}
 * is two array reads; the view's own edits keep the index current, but a block changed by other
 * means must be wrapped again. The index costs about 3 KiB per view.
 *
 * <p>Not thread-safe; allocate one per stream or transport.
 */
public final class HeaderExtensions {

    /** Profile of the one-byte header form. */
    public static final int ONE_BYTE_PROFILE = 0xBEDE;
    /** Profile of the two-byte header form with app bits 0; any of 0x1000..0x100F is accepted. */
    public static final int TWO_BYTE_PROFILE = 0x1000;
    /** Largest id of the one-byte form. */
    public static final int MAX_ONE_BYTE_ID = 14;
    /** Largest data length of the one-byte form. */
    public static final int MAX_ONE_BYTE_LENGTH = 16;
    /** Largest id of the two-byte form. */
    public static final int MAX_TWO_BYTE_ID = 255;
    /** Largest data length of the two-byte form. */
    public static final int MAX_TWO_BYTE_LENGTH = 255;
    /** Most elements {@link #add(int, int)} is willing to rearrange. */
    public static final int MAX_ELEMENTS = 256;

    /** Block form: the packet has no header extension. */
    public static final int FORM_NONE = 0;
    /** Block form: one-byte headers ({@code 0xBEDE}). */
    public static final int FORM_ONE_BYTE = 1;
    /** Block form: two-byte headers ({@code 0x100X}). */
    public static final int FORM_TWO_BYTE = 2;

    static final String NOT_WRAPPED = "packet not wrapped";
    static final String UNSUPPORTED_PROFILE = "extension profile is not RFC 8285";
    static final String ELEMENT_OVERFLOW = "extension element exceeds block";

    private final int[] handles = new int[MAX_ELEMENTS];
    /** Handle of the first element of each id, valid where {@code generationById[id] == generation}. */
    private final int[] handleById = new int[MAX_TWO_BYTE_ID + 1];
    private final int[] generationById = new int[MAX_TWO_BYTE_ID + 1];
    private int generation;
    private RtpPacket packet;
    private ByteBuf buf;
    private int form;
    private int blockStart;
    private int blockEnd;
    private int elementsEnd;
    private String invalidReason = NOT_WRAPPED;

    /**
     * Points this view at the extension block of {@code packet}, which must be validly wrapped.
     *
     * @return {@code true} for an RFC 8285 block whose elements fit, or for a packet without one
     */
    public boolean wrap(RtpPacket packet) {
        this.packet = null;
        this.buf = null;
        if (packet == null || !packet.isValid()) {
            return invalid(NOT_WRAPPED);
        }
        ByteBuf b = packet.buffer();
        int profile = packet.extensionProfile();
        int f;
        if (profile < 0) {
            f = FORM_NONE;
        } else if (profile == ONE_BYTE_PROFILE) {
            f = FORM_ONE_BYTE;
        } else if ((profile & 0xFFF0) == TWO_BYTE_PROFILE) {
            f = FORM_TWO_BYTE;
        } else {
            return invalid(UNSUPPORTED_PROFILE);
        }
        int start = f == FORM_NONE ? packet.csrcEndOffset() : packet.extensionDataOffset();
        int end = start + packet.extensionDataLength();
        int p = start;
        int stop = end;
        int gen = nextGeneration();
        while (p < end) {
            int b0 = b.getUnsignedByte(p);
            if (f == FORM_ONE_BYTE) {
                int id = b0 >>> 4;
                if (id == 0) {
                    p++;
                    continue;
                }
                if (id == 15) {
                    stop = p;
                    break;
                }
                int size = 1 + (b0 & 0x0F) + 1;
                if (size > end - p) {
                    return invalid(ELEMENT_OVERFLOW);
                }
                remember(id, p + 1, gen);
                p += size;
            } else {
                if (b0 == 0) {
                    p++;
                    continue;
                }
                if (end - p < 2) {
                    return invalid(ELEMENT_OVERFLOW);
                }
                int size = 2 + b.getUnsignedByte(p + 1);
                if (size > end - p) {
                    return invalid(ELEMENT_OVERFLOW);
                }
                remember(b0, p + 2, gen);
                p += size;
            }
        }
        this.packet = packet;
        this.buf = b;
        this.form = f;
        this.blockStart = start;
        this.blockEnd = end;
        this.elementsEnd = stop;
        this.invalidReason = null;
        return true;
    }

    private int nextGeneration() {
        if (generation == Integer.MAX_VALUE) {
            java.util.Arrays.fill(generationById, 0);
            generation = 0;
        }
        return ++generation;
    }

    private void remember(int id, int handle, int gen) {
        if (generationById[id] != gen) {
            generationById[id] = gen;
            handleById[id] = handle;
        }
    }

    private boolean invalid(String reason) {
        this.invalidReason = reason;
        return false;
    }

    public boolean isValid() {
        return invalidReason == null;
    }

    /** Why the last wrap failed (a constant string), or {@code null}. */
    public String invalidReason() {
        return invalidReason;
    }

    /** {@link #FORM_NONE}, {@link #FORM_ONE_BYTE} or {@link #FORM_TWO_BYTE}. */
    public int form() {
        return form;
    }

    /** The buffer the elements live in. */
    public ByteBuf buffer() {
        return buf;
    }

    /** Handle of the first element, or -1 when there is none. */
    public int first() {
        return elementAtOrAfter(blockStart);
    }

    /** Handle of the element after {@code handle}, or -1 at the end. */
    public int next(int handle) {
        return elementAtOrAfter(handle + lengthAt(handle));
    }

    private int elementAtOrAfter(int p) {
        if (buf == null) {
            return -1;
        }
        while (p < elementsEnd) {
            int b0 = buf.getUnsignedByte(p);
            if (form == FORM_ONE_BYTE) {
                if ((b0 >>> 4) != 0) {
                    return p + 1;
                }
            } else if (b0 != 0) {
                return p + 2;
            }
            p++;
        }
        return -1;
    }

    /** The id of the element at {@code handle}. */
    public int idAt(int handle) {
        return form == FORM_ONE_BYTE
                ? buf.getUnsignedByte(handle - 1) >>> 4
                : buf.getUnsignedByte(handle - 2);
    }

    /** The data length of the element at {@code handle}. */
    public int lengthAt(int handle) {
        return form == FORM_ONE_BYTE
                ? (buf.getUnsignedByte(handle - 1) & 0x0F) + 1
                : buf.getUnsignedByte(handle - 1);
    }

    private int headerSize() {
        return form == FORM_ONE_BYTE ? 1 : 2;
    }

    /** Handle (absolute index of the data) of the first element with {@code id}, or -1. */
    public int find(int id) {
        if (buf == null || id <= 0 || id > MAX_TWO_BYTE_ID || generationById[id] != generation) {
            return -1;
        }
        return handleById[id];
    }

    /** Data length of the element with {@code id}, or -1 when absent. */
    public int length(int id) {
        int h = find(id);
        return h < 0 ? -1 : lengthAt(h);
    }

    /** Overwrites the value of element {@code id} when it has exactly {@code value.length} bytes. */
    public boolean set(int id, byte[] value) {
        int h = find(id);
        if (h < 0 || value == null || lengthAt(h) != value.length) {
            return false;
        }
        buf.setBytes(h, value);
        return true;
    }

    /** Turns element {@code id} into padding bytes, in place; the packet keeps its length. */
    public boolean remove(int id) {
        int h = find(id);
        if (h < 0) {
            return false;
        }
        int hs = headerSize();
        buf.setZero(h - hs, hs + lengthAt(h));
        wrap(packet); // re-index: a later element with the same id becomes visible
        return true;
    }

    /** {@link #add(int, int)} and copy {@code value} into the new element. */
    public boolean add(int id, byte[] value) {
        if (value == null) {
            return false;
        }
        int h = add(id, value.length);
        if (h < 0) {
            return false;
        }
        buf.setBytes(h, value);
        return true;
    }

    /**
     * Appends an element with {@code id} and {@code length} zeroed data bytes and returns its
     * handle, for the caller to fill in; or -1 when the id is out of range or already present, the
     * block would be too large, or the buffer cannot hold the longer packet.
     *
     * <p>Existing elements are compacted (padding between them dropped) and, when needed, rewritten
     * in the two-byte form. The block grows only by whole 32-bit words; when it grows, the payload
     * and padding move up. Growing needs the packet to end at or after the buffer's writer index
     * (nothing readable follows it) and enough capacity behind it; the buffer is never reallocated.
     * When the packet ended at the writer index, the writer index moves with it.
     */
    public int add(int id, int length) {
        if (buf == null || id < 1 || id > MAX_TWO_BYTE_ID || length < 0 || length > MAX_TWO_BYTE_LENGTH
                || find(id) >= 0) {
            return -1;
        }
        boolean oneByteFits = id <= MAX_ONE_BYTE_ID && length >= 1 && length <= MAX_ONE_BYTE_LENGTH;
        int target = (form == FORM_TWO_BYTE || !oneByteFits) ? FORM_TWO_BYTE : FORM_ONE_BYTE;
        int targetHeader = target == FORM_ONE_BYTE ? 1 : 2;

        int count = 0;
        int dataSum = 0;
        for (int h = first(); h >= 0; h = next(h)) {
            if (count == MAX_ELEMENTS) {
                return -1;
            }
            handles[count++] = h;
            dataSum += lengthAt(h);
        }
        int needed = count * targetHeader + dataSum + targetHeader + length;
        int oldBlock = blockEnd - blockStart;
        int newBlock = Math.max((needed + 3) & ~3, oldBlock);
        if (newBlock > 4 * 0xFFFF) {
            return -1;
        }
        int growth = newBlock - oldBlock + (form == FORM_NONE ? RtpPacket.EXTENSION_HEADER_LENGTH : 0);
        int packetStart = packet.offset();
        int packetEnd = packetStart + packet.length();
        if (growth > 0) {
            if (buf.writerIndex() > packetEnd || growth > buf.capacity() - packetEnd) {
                return -1;
            }
            int tail = form == FORM_NONE ? blockStart : blockEnd;
            ByteBufMoves.move(buf, tail, tail + growth, packetEnd - tail);
        }
        int start = blockStart;
        if (form == FORM_NONE) {
            buf.setByte(packetStart, buf.getByte(packetStart) | 0x10);
            start = blockStart + RtpPacket.EXTENSION_HEADER_LENGTH;
            for (int k = 0; k < count; k++) {
                handles[k] += RtpPacket.EXTENSION_HEADER_LENGTH;
            }
        }
        int headerOffset = start - RtpPacket.EXTENSION_HEADER_LENGTH;

        // Compact in the current form: every element moves down or stays.
        int hs = headerSize();
        int w = start;
        for (int k = 0; k < count; k++) {
            int h = handles[k];
            int size = hs + lengthAt(h);
            ByteBufMoves.move(buf, h - hs, w, size);
            handles[k] = w + hs;
            w += size;
        }
        if (target != form && count > 0) {
            // One-byte to two-byte: every element moves up by its index; walk from the last.
            int prefix = w - start - count;
            for (int k = count - 1; k >= 0; k--) {
                int h = handles[k];
                int len = lengthAt(h);
                int id0 = buf.getUnsignedByte(h - 1) >>> 4;
                prefix -= len;
                int newHeader = start + 2 * k + prefix;
                ByteBufMoves.move(buf, h, newHeader + 2, len);
                buf.setByte(newHeader, id0);
                buf.setByte(newHeader + 1, len);
            }
            w = start + 2 * count + (w - start - count);
        }
        int handle;
        if (target == FORM_ONE_BYTE) {
            buf.setByte(w, (id << 4) | (length - 1));
            handle = w + 1;
        } else {
            buf.setByte(w, id);
            buf.setByte(w + 1, length);
            handle = w + 2;
        }
        buf.setZero(handle, start + newBlock - handle);
        buf.setShort(headerOffset, target == FORM_ONE_BYTE ? ONE_BYTE_PROFILE
                : (form == FORM_TWO_BYTE ? buf.getUnsignedShort(headerOffset) : TWO_BYTE_PROFILE));
        buf.setShort(headerOffset + 2, newBlock / 4);

        if (growth > 0 && buf.writerIndex() == packetEnd) {
            buf.writerIndex(packetEnd + growth);
        }
        RtpPacket p = packet;
        if (!p.wrap(buf, packetStart, packetEnd - packetStart + growth) || !wrap(p)) {
            return -1; // cannot happen: the block was written well-formed
        }
        return handle;
    }
}
