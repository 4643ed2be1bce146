package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Read view of a receiver estimated maximum bitrate message (PSFB FMT=15 with the 'REMB'
 * identifier, draft-alvestrand-rmcat-remb-03 §2.2); the media source SSRC is 0 by the draft. Also
 * writes REMBs ({@link #write}).
 */
public final class RembView extends FeedbackPacketView {
    /** The unique identifier 'R' 'E' 'M' 'B'. */
    public static final int IDENTIFIER = 0x52454D42;
    /** Largest 18-bit mantissa. */
    static final int MAX_MANTISSA = 0x3FFFF;

    /** Reason when the FCI is too short or the identifier is not 'REMB'. */
    public static final String NOT_REMB = "application feedback is not REMB";
    /** Reason when the SSRC list does not fit. */
    public static final String SSRCS_PAST_END = "REMB SSRC list exceeds the packet";
    /** Reason when mantissa shifted by exponent overflows 64 bits (rejected as libwebrtc does). */
    public static final String BITRATE_OVERFLOW = "REMB bitrate overflows 64 bits";

    /** A view not yet pointed at a packet. */
    public RembView() {
        super(RtcpPacketType.PSFB, RtcpPacketType.FMT_AFB);
    }

    /** A PSFB FMT=15 packet is accepted only as a well-formed REMB. */
    @Override
    String checkFci(int fciLength) {
        if (fciLength < 8 || buf.getInt(offset + 12) != IDENTIFIER) {
            return NOT_REMB;
        }
        if (8 + 4 * buf.getUnsignedByte(offset + 16) > fciLength) {
            return SSRCS_PAST_END;
        }
        int exp = exponent();
        long mantissa = mantissa();
        if (((mantissa << exp) >>> exp) != mantissa) {
            return BITRATE_OVERFLOW;
        }
        return null;
    }

    /** The 6-bit exponent. */
    public int exponent() {
        return buf.getUnsignedByte(offset + 17) >>> 2;
    }

    /** The 18-bit mantissa. */
    public long mantissa() {
        return buf.getUnsignedMedium(offset + 17) & MAX_MANTISSA;
    }

    /** The bitrate in bits per second, saturated at {@link Long#MAX_VALUE}. */
    public long bitrateBps() {
        long v = mantissa() << exponent();
        return v < 0 ? Long.MAX_VALUE : v;
    }

    /** Number of SSRCs the estimate applies to. */
    public int ssrcCount() {
        return buf.getUnsignedByte(offset + 16);
    }

    public long ssrc(int i) {
        if (i < 0 || i >= ssrcCount()) {
            throw new IndexOutOfBoundsException(i);
        }
        return buf.getUnsignedInt(offset + 20 + 4 * i);
    }

    /**
     * The exponent libwebrtc picks for {@code bitrateBps}: the smallest that makes the mantissa fit
     * 18 bits (the mantissa is then {@code bitrateBps >>> exponent}, truncated).
     */
    public static int exponentFor(long bitrateBps) {
        int exp = 0;
        while ((bitrateBps >>> exp) > MAX_MANTISSA) {
            exp++;
        }
        return exp;
    }

    /**
     * Appends a REMB (media SSRC 0) announcing {@code bitrateBps} (non-negative) for up to 255
     * SSRCs; returns the bytes written.
     */
    public static int write(ByteBuf out, long senderSsrc, long bitrateBps, long[] ssrcs) {
        if (bitrateBps < 0 || ssrcs.length > 255) {
            throw new IllegalArgumentException("negative bitrate or more than 255 SSRCs");
        }
        int exp = exponentFor(bitrateBps);
        long mantissa = bitrateBps >>> exp;
        int length = FeedbackHeader.SIZE + 8 + 4 * ssrcs.length;
        FeedbackHeader.write(out, RtcpPacketType.FMT_AFB, RtcpPacketType.PSFB, length, senderSsrc, 0);
        out.writeInt(IDENTIFIER);
        out.writeByte(ssrcs.length);
        out.writeMedium((int) ((exp << 18) | mantissa));
        for (long ssrc : ssrcs) {
            out.writeInt((int) ssrc);
        }
        return length;
    }
}
