package org.sluice.core.forward;

import io.netty.buffer.ByteBuf;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.ext.HeaderExtensions;

/**
 * Writes a receiver's RTP header for a forwarded packet: new SSRC, sequence number, timestamp and
 * payload type, no CSRCs, no padding, and only the header extensions the receiver negotiated,
 * renumbered. Works on absolute indices; allocates nothing.
 */
final class RtpHeaderWriter {

    private RtpHeaderWriter() {
    }

    /**
     * The most bytes {@link #write} can produce for {@code source}: the fixed header, an extension
     * block header, every element grown by one byte when converted to the two-byte form (an element
     * takes at least two bytes, so at most twice the source's data), and padding. Sizing the egress
     * buffer with it means the write never reallocates.
     */
    static int maxLength(RtpPacket source) {
        return RtpPacket.FIXED_HEADER_LENGTH + 4 + 2 * source.extensionDataLength() + TRANSPORT_CC_ELEMENT + 3;
    }

    /** As above, with {@code identity}'s elements (null: none). */
    static int maxLength(RtpPacket source, StreamIdentity identity) {
        return maxLength(source) + (identity == null ? 0 : identity.maxLength());
    }

    /** The most a transport-wide sequence number element adds (two-byte form). */
    private static final int TRANSPORT_CC_ELEMENT = 4;

    /**
     * Appends the header at {@code out.writerIndex()} and returns its length.
     *
     * @param source the publisher's packet (wrapped), whose extensions are copied
     * @param extensions a view the caller owns, used to walk {@code source}'s extensions
     * @param idTable publisher id → receiver id (0 drops), from {@link ExtensionIds#translationTo}
     */
    static int write(ByteBuf out, RtpPacket source, HeaderExtensions extensions, int[] idTable,
                     int payloadType, int sequenceNumber, long timestamp, long ssrc) {
        return write(out, source, extensions, idTable, source.marker(), payloadType, sequenceNumber, timestamp, ssrc);
    }

    /** As above with the marker given (a layer filter moves it to the last forwarded layer of a picture). */
    static int write(ByteBuf out, RtpPacket source, HeaderExtensions extensions, int[] idTable, boolean marker,
                     int payloadType, int sequenceNumber, long timestamp, long ssrc) {
        return write(out, source, extensions, idTable, marker, payloadType, sequenceNumber, timestamp, ssrc, 0, -1);
    }

    /**
     * As above, also stamping the transport-wide sequence number {@code transportSequence} with extension id
     * {@code transportCcId} (nothing when the id is 0 or the sequence number negative).
     */
    static int write(ByteBuf out, RtpPacket source, HeaderExtensions extensions, int[] idTable, boolean marker,
                     int payloadType, int sequenceNumber, long timestamp, long ssrc, int transportCcId,
                     int transportSequence) {
        return write(out, source, extensions, idTable, marker, payloadType, sequenceNumber, timestamp, ssrc,
                transportCcId, transportSequence, null);
    }

    /**
     * As above, also writing {@code identity}'s elements (mid, rid) when it is not null; their ids must be absent
     * from {@code idTable}'s targets (the caller drops the source's elements with those ids).
     */
    static int write(ByteBuf out, RtpPacket source, HeaderExtensions extensions, int[] idTable, boolean marker,
                     int payloadType, int sequenceNumber, long timestamp, long ssrc, int transportCcId,
                     int transportSequence, StreamIdentity identity) {
        int start = out.writerIndex();
        out.writeByte(0x80); // V=2, P=0, X set below if extensions are written, CC=0
        out.writeByte((marker ? 0x80 : 0) | (payloadType & 0x7F));
        out.writeShort(sequenceNumber);
        out.writeInt((int) timestamp);
        out.writeInt((int) ssrc);
        int stamp = transportCcId > 0 && transportSequence >= 0 ? transportCcId : 0;
        boolean copy = source != null && source.hasExtension() && extensions.wrap(source);
        boolean named = identity != null && identity.count() > 0;
        if ((copy || stamp > 0 || named)
                && writeExtensions(out, copy ? extensions : null, idTable, stamp, transportSequence, identity)) {
            out.setByte(start, 0x90);
        }
        return out.writerIndex() - start;
    }

    /**
     * Writes a one-byte (or, when needed, two-byte) extension block with the elements of {@code ext} (may be null)
     * that the receiver negotiated and the transport-wide sequence number element when {@code stampId} > 0; false
     * if nothing was written.
     */
    private static boolean writeExtensions(ByteBuf out, HeaderExtensions ext, int[] idTable, int stampId,
                                           int transportSequence, StreamIdentity identity) {
        boolean twoByte = stampId > HeaderExtensions.MAX_ONE_BYTE_ID || identity != null && identity.needsTwoByte();
        int count = (stampId > 0 ? 1 : 0) + (identity == null ? 0 : identity.count());
        for (int h = ext == null ? -1 : ext.first(); h >= 0; h = ext.next(h)) {
            int to = idTable[ext.idAt(h)];
            if (to > 0) {
                count++;
                int len = ext.lengthAt(h);
                if (to > HeaderExtensions.MAX_ONE_BYTE_ID || len > HeaderExtensions.MAX_ONE_BYTE_LENGTH || len == 0) {
                    twoByte = true;
                }
            }
        }
        if (count == 0) {
            return false;
        }
        int blockStart = out.writerIndex();
        out.writeShort(twoByte ? HeaderExtensions.TWO_BYTE_PROFILE : HeaderExtensions.ONE_BYTE_PROFILE);
        out.writeShort(0); // length in words, patched below
        if (stampId > 0) {
            if (twoByte) {
                out.writeByte(stampId);
                out.writeByte(2);
            } else {
                out.writeByte((stampId << 4) | 1);
            }
            out.writeShort(transportSequence);
        }
        for (int i = 0, n = identity == null ? 0 : identity.count(); i < n; i++) {
            byte[] value = identity.valueAt(i);
            if (twoByte) {
                out.writeByte(identity.idAt(i));
                out.writeByte(value.length);
            } else {
                out.writeByte((identity.idAt(i) << 4) | (value.length - 1));
            }
            out.writeBytes(value);
        }
        ByteBuf src = ext == null ? null : ext.buffer();
        for (int h = ext == null ? -1 : ext.first(); h >= 0; h = ext.next(h)) {
            int to = idTable[ext.idAt(h)];
            if (to == 0) {
                continue;
            }
            int len = ext.lengthAt(h);
            if (twoByte) {
                out.writeByte(to);
                out.writeByte(len);
            } else {
                out.writeByte((to << 4) | (len - 1));
            }
            out.writeBytes(src, h, len);
        }
        int dataLength = out.writerIndex() - blockStart - 4;
        int padding = (4 - (dataLength & 3)) & 3;
        out.writeZero(padding);
        out.setShort(blockStart + 2, (dataLength + padding) / 4);
        return true;
    }
}
