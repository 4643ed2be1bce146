package org.sluice.rtp.nack;

import io.netty.buffer.ByteBuf;
import org.sluice.rtp.RtpPacket;

/**
 * RTX retransmission packets (RFC 4588 §4), converted in place without copying the payload.
 *
 * <p>An RTX packet is the original packet sent on the retransmission SSRC with the retransmission
 * payload type and its own sequence number; the original sequence number (OSN) is the first two
 * bytes of its payload. Turning it back into the original packet therefore means dropping those two
 * bytes and restoring three header fields. Rather than moving the payload, the header (fixed part,
 * CSRCs and extension, usually much shorter) is moved two bytes forward over the OSN and the
 * buffer's reader index advanced past the freed bytes. Padding at the end is untouched and still
 * counted by the P bit the header keeps.
 *
 * <p>Call after SRTP decryption: the RTX packet is authenticated as a whole.
 */
public final class RtxPackets {

    /** Bytes of the original sequence number at the start of an RTX payload. */
    public static final int OSN_LENGTH = 2;

    private RtxPackets() {
    }

    /**
     * Turns the RTX packet in {@code packet} into the original packet, in place.
     *
     * <p>{@code view} must be validly wrapped over the readable bytes of {@code packet}. On success
     * the OSN is gone: the header now starts {@value #OSN_LENGTH} bytes later, the reader index has
     * advanced by {@value #OSN_LENGTH}, the sequence number is the OSN, the payload type and SSRC are
     * the given ones, and {@code view} is wrapped over the result.
     *
     * @return false, leaving buffer and view as they were, when the view is not valid, not wrapped over
     *         exactly the readable bytes of {@code packet}, the buffer is read-only, or the payload (padding excluded) is shorter
     *         than the OSN, as in the padding-only packets senders use as bandwidth probes
     */
    public static boolean unwrapInPlace(ByteBuf packet, RtpPacket view, int originalPayloadType,
                                        long originalSsrc) {
        if (!wrapsReadableBytes(packet, view) || view.payloadLength() < OSN_LENGTH) {
            return false;
        }
        int offset = view.offset();
        int length = view.length();
        int header = view.headerLength();
        int osn = packet.getUnsignedShort(offset + header);
        moveForward(packet, offset, header);
        packet.readerIndex(offset + OSN_LENGTH);
        if (!view.wrap(packet, offset + OSN_LENGTH, length - OSN_LENGTH)) {
            // cannot happen: the same header with a 2-byte shorter payload is still valid
            throw new IllegalStateException("RTX unwrap produced an invalid packet: " + view.invalidReason());
        }
        view.setSequenceNumber(osn);
        view.setPayloadType(originalPayloadType);
        view.setSsrc(originalSsrc);
        return true;
    }

    /**
     * Turns the original packet in {@code packet} into an RTX packet, in place: the header moves
     * {@value #OSN_LENGTH} bytes toward the start of the buffer, the original sequence number is
     * written where the header ended, and the reader index moves back by {@value #OSN_LENGTH}. The
     * inverse of {@link #unwrapInPlace}; {@code view} is wrapped over the result.
     *
     * @return false, leaving buffer and view as they were, when the view is not valid, not wrapped over
     *         exactly the readable bytes of {@code packet}, the buffer is read-only, or there are fewer than {@value #OSN_LENGTH}
     *         bytes before the reader index
     */
    public static boolean wrapInPlace(ByteBuf packet, RtpPacket view, int rtxPayloadType, long rtxSsrc,
                                      int rtxSequenceNumber) {
        if (!wrapsReadableBytes(packet, view) || view.offset() < OSN_LENGTH) {
            return false;
        }
        int offset = view.offset();
        int length = view.length();
        int header = view.headerLength();
        int osn = view.sequenceNumber();
        int to = offset - OSN_LENGTH;
        for (int i = 0; i < header; i++) {
            packet.setByte(to + i, packet.getByte(offset + i));
        }
        packet.setShort(to + header, osn);
        packet.readerIndex(to);
        if (!view.wrap(packet, to, length + OSN_LENGTH)) {
            throw new IllegalStateException("RTX wrap produced an invalid packet: " + view.invalidReason());
        }
        view.setSequenceNumber(rtxSequenceNumber);
        view.setPayloadType(rtxPayloadType);
        view.setSsrc(rtxSsrc);
        return true;
    }

    /** The original sequence number of a validly wrapped RTX packet, or -1 when it has none. */
    public static int originalSequence(RtpPacket view) {
        if (view == null || !view.isValid() || view.payloadLength() < OSN_LENGTH) {
            return -1;
        }
        return view.buffer().getUnsignedShort(view.payloadOffset());
    }

    /** Whether {@code view} is validly wrapped over exactly the readable bytes of a writable {@code packet}. */
    private static boolean wrapsReadableBytes(ByteBuf packet, RtpPacket view) {
        return packet != null && view != null && view.isValid() && view.buffer() == packet && !packet.isReadOnly()
                && view.offset() == packet.readerIndex() && view.length() == packet.readableBytes();
    }

    /** Moves {@code length} bytes at {@code from} {@value #OSN_LENGTH} bytes toward higher indexes. */
    private static void moveForward(ByteBuf buf, int from, int length) {
        int i = length;
        for (; i >= 8; i -= 8) {
            buf.setLong(from + i - 8 + OSN_LENGTH, buf.getLong(from + i - 8));
        }
        for (; i > 0; i--) {
            buf.setByte(from + i - 1 + OSN_LENGTH, buf.getByte(from + i - 1));
        }
    }
}
