package org.sluice.rtp.codec.h264;

import io.netty.buffer.ByteBuf;
import org.sluice.rtp.codec.PayloadBounds;

/**
 * A reusable view over an H.264 RTP payload in non-interleaved mode (RFC 6184): a single NAL unit
 * packet (§5.6), a STAP-A (§5.7.1) whose aggregated NAL units are walked with bounds checks, or an
 * FU-A fragment (§5.8).
 *
 * <p>The interleaved-mode types STAP-B, MTAP16, MTAP24 and FU-B are recognised and reported as
 * {@link Status#UNSUPPORTED} (well-formed enough to name, but not forwarded), distinct from
 * {@link Status#MALFORMED}.
 *
 * <p><b>Key frame:</b> the packet carries an IDR slice (NAL type 5) as a whole NAL unit, inside a
 * STAP-A, or as the first fragment (S=1) of an FU-A. Continuation fragments of an IDR are reported by
 * {@link #containsIdrData()} but are not key-frame starts. SPS (7) and PPS (8) presence is reported
 * separately.
 *
 * <p><b>Start-of-frame hint:</b> the packet begins a NAL unit (single, STAP-A, or FU-A with S=1) and
 * that NAL unit is an access unit delimiter, SEI, SPS or PPS, or a slice whose
 * {@code first_mb_in_slice} is 0 (its first {@code ue(v)} bit is 1). It is a hint: the RTP marker bit
 * remains the authoritative end of an access unit.
 */
public final class H264Payload {

    /** Outcome of the last {@link #wrap}. */
    public enum Status { VALID, UNSUPPORTED, MALFORMED }

    public static final String REASON_BOUNDS = "payload region outside the buffer";
    public static final String REASON_EMPTY = "empty H.264 payload";
    public static final String REASON_RESERVED_TYPE = "H.264 NAL unit type 0, 30 or 31 is reserved";
    public static final String REASON_UNSUPPORTED = "STAP-B, MTAP and FU-B (interleaved mode) are not supported";
    public static final String REASON_STAP_A_TRUNCATED = "STAP-A NAL unit size exceeds the payload";
    public static final String REASON_STAP_A_EMPTY_UNIT = "STAP-A carries an empty NAL unit";
    public static final String REASON_STAP_A_NO_UNITS = "STAP-A carries no NAL unit";
    public static final String REASON_STAP_A_BAD_TYPE = "STAP-A aggregates a NAL unit of type 0 or 24..31";
    public static final String REASON_FU_A_TRUNCATED = "FU-A shorter than its indicator and header";
    public static final String REASON_FU_A_START_AND_END = "FU-A has both start and end bits set";
    public static final String REASON_FU_A_BAD_TYPE = "FU-A fragments a NAL unit of type 0 or 24..31";

    private ByteBuf buf;
    private int offset;
    private int length;
    private Status status = Status.MALFORMED;
    private String invalidReason = REASON_EMPTY;
    private H264PacketizationType type;
    private int nalUnitType;
    private int nalUnitCount;
    private boolean fuStart;
    private boolean fuEnd;
    private boolean containsIdrData;
    private boolean keyFrame;
    private boolean sps;
    private boolean pps;
    private boolean startOfFrameHint;

    /**
     * Points this view at {@code length} bytes of RTP payload starting at absolute {@code offset}.
     *
     * @return {@code true} only for {@link Status#VALID}; see {@link #status()} otherwise
     */
    public boolean wrap(ByteBuf buf, int offset, int length) {
        reset();
        if (!PayloadBounds.fits(buf, offset, length)) {
            return fail(Status.MALFORMED, REASON_BOUNDS);
        }
        if (length < 1) {
            return fail(Status.MALFORMED, REASON_EMPTY);
        }
        int header = buf.getUnsignedByte(offset);
        int t = header & 0x1f;
        if (t == 0 || t >= 30) {
            return fail(Status.MALFORMED, REASON_RESERVED_TYPE);
        }
        if (t <= 23) {
            type = H264PacketizationType.SINGLE_NAL_UNIT;
            nalUnitType = t;
            nalUnitCount = 1;
            noteNalUnit(t);
            startOfFrameHint = startsFrame(buf, offset + 1, length - 1, t);
        } else if (t == H264NalUnitType.STAP_A) {
            type = H264PacketizationType.STAP_A;
            String reason = walkStapA(buf, offset, length);
            if (reason != null) {
                return fail(Status.MALFORMED, reason);
            }
        } else if (t == H264NalUnitType.FU_A) {
            type = H264PacketizationType.FU_A;
            if (length < 2) {
                return fail(Status.MALFORMED, REASON_FU_A_TRUNCATED);
            }
            int fu = buf.getUnsignedByte(offset + 1);
            fuStart = (fu & 0x80) != 0;
            fuEnd = (fu & 0x40) != 0;
            if (fuStart && fuEnd) {
                return fail(Status.MALFORMED, REASON_FU_A_START_AND_END);
            }
            nalUnitType = fu & 0x1f;
            if (nalUnitType == 0 || nalUnitType >= 24) {
                return fail(Status.MALFORMED, REASON_FU_A_BAD_TYPE);
            }
            containsIdrData = nalUnitType == H264NalUnitType.IDR_SLICE;
            if (fuStart) {
                keyFrame = containsIdrData;
                sps = nalUnitType == H264NalUnitType.SPS;
                pps = nalUnitType == H264NalUnitType.PPS;
                startOfFrameHint = startsFrame(buf, offset + 2, length - 2, nalUnitType);
            }
        } else {
            type = t == H264NalUnitType.STAP_B ? H264PacketizationType.STAP_B
                    : t == H264NalUnitType.MTAP16 ? H264PacketizationType.MTAP16
                    : t == H264NalUnitType.MTAP24 ? H264PacketizationType.MTAP24
                    : H264PacketizationType.FU_B;
            H264PacketizationType keep = type;
            fail(Status.UNSUPPORTED, REASON_UNSUPPORTED);
            type = keep;
            return false;
        }
        this.buf = buf;
        this.offset = offset;
        this.length = length;
        status = Status.VALID;
        invalidReason = null;
        return true;
    }

    private String walkStapA(ByteBuf buf, int offset, int length) {
        int pos = 1;
        while (pos < length) {
            if (pos + 2 > length) {
                return REASON_STAP_A_TRUNCATED;
            }
            int size = buf.getUnsignedShort(offset + pos);
            pos += 2;
            if (size == 0) {
                return REASON_STAP_A_EMPTY_UNIT;
            }
            if (size > length - pos) {
                return REASON_STAP_A_TRUNCATED;
            }
            int t = buf.getUnsignedByte(offset + pos) & 0x1f;
            if (t == 0 || t >= 24) {
                return REASON_STAP_A_BAD_TYPE;
            }
            if (nalUnitCount == 0) {
                nalUnitType = t;
                startOfFrameHint = startsFrame(buf, offset + pos + 1, size - 1, t);
            }
            noteNalUnit(t);
            nalUnitCount++;
            pos += size;
        }
        return nalUnitCount == 0 ? REASON_STAP_A_NO_UNITS : null;
    }

    private void noteNalUnit(int t) {
        if (t == H264NalUnitType.IDR_SLICE) {
            containsIdrData = true;
            keyFrame = true;
        } else if (t == H264NalUnitType.SPS) {
            sps = true;
        } else if (t == H264NalUnitType.PPS) {
            pps = true;
        }
    }

    /** {@code rbspOffset/rbspLength}: the NAL unit bytes after its one-byte header. */
    private static boolean startsFrame(ByteBuf buf, int rbspOffset, int rbspLength, int t) {
        switch (t) {
            case H264NalUnitType.ACCESS_UNIT_DELIMITER:
            case H264NalUnitType.SEI:
            case H264NalUnitType.SPS:
            case H264NalUnitType.PPS:
                return true;
            case H264NalUnitType.NON_IDR_SLICE:
            case H264NalUnitType.IDR_SLICE:
                // first_mb_in_slice is ue(v); a leading 1 bit encodes the value 0.
                return rbspLength > 0 && (buf.getUnsignedByte(rbspOffset) & 0x80) != 0;
            default:
                return false;
        }
    }

    private void reset() {
        buf = null;
        type = null;
        nalUnitType = 0;
        nalUnitCount = 0;
        fuStart = false;
        fuEnd = false;
        containsIdrData = false;
        keyFrame = false;
        sps = false;
        pps = false;
        startOfFrameHint = false;
    }

    private boolean fail(Status failure, String reason) {
        reset();
        status = failure;
        invalidReason = reason;
        return false;
    }

    /** VALID, UNSUPPORTED (interleaved-mode types) or MALFORMED. */
    public Status status() {
        return status;
    }

    /** Why the last {@link #wrap} did not return VALID (a constant), or {@code null}. */
    public String invalidReason() {
        return invalidReason;
    }

    /** The packetization type; also set for UNSUPPORTED payloads, {@code null} when MALFORMED. */
    public H264PacketizationType packetizationType() {
        return type;
    }

    /**
     * The NAL unit type of a single NAL unit packet, of a STAP-A's first aggregated unit, or the
     * original type of an FU-A's fragmented unit; 0 when not valid.
     */
    public int nalUnitType() {
        return nalUnitType;
    }

    /** FU-A S bit. */
    public boolean isFragmentStart() {
        return fuStart;
    }

    /** FU-A E bit. */
    public boolean isFragmentEnd() {
        return fuEnd;
    }

    /** Complete NAL units in the packet: 1 for a single NAL unit, the aggregated count of a STAP-A, 0 for FU-A. */
    public int nalUnitCount() {
        return nalUnitCount;
    }

    /** Absolute offset of complete NAL unit {@code index} (its header byte). */
    public int nalUnitOffset(int index) {
        return locate(index, true);
    }

    /** Length of complete NAL unit {@code index}, header byte included. */
    public int nalUnitLength(int index) {
        return locate(index, false);
    }

    private int locate(int index, boolean wantOffset) {
        if (index < 0 || index >= nalUnitCount) {
            throw new IndexOutOfBoundsException(index);
        }
        if (type == H264PacketizationType.SINGLE_NAL_UNIT) {
            return wantOffset ? offset : length;
        }
        int pos = offset + 1;
        for (int k = 0; ; k++) {
            int size = buf.getUnsignedShort(pos);
            if (k == index) {
                return wantOffset ? pos + 2 : size;
            }
            pos += 2 + size;
        }
    }

    /** The packet carries an IDR slice's bytes (whole, aggregated, or any FU-A fragment of one). */
    public boolean containsIdrData() {
        return containsIdrData;
    }

    /** The packet starts a key frame: an IDR NAL unit whole, aggregated, or its first FU-A fragment. */
    public boolean isKeyFrame() {
        return keyFrame;
    }

    /** An SPS (type 7) starts in this packet. */
    public boolean containsSps() {
        return sps;
    }

    /** A PPS (type 8) starts in this packet. */
    public boolean containsPps() {
        return pps;
    }

    /** See the class comment: the packet likely opens an access unit. */
    public boolean isStartOfFrameHint() {
        return startOfFrameHint;
    }

    /** Allocation-free key-frame test without a view (same rule as {@link #isKeyFrame()}). */
    public static boolean isKeyFrame(ByteBuf buf, int offset, int length) {
        if (!PayloadBounds.fits(buf, offset, length) || length < 1) {
            return false;
        }
        int t = buf.getUnsignedByte(offset) & 0x1f;
        if (t == H264NalUnitType.IDR_SLICE) {
            return true;
        }
        if (t == H264NalUnitType.FU_A) {
            return length >= 2 && (buf.getUnsignedByte(offset + 1) & 0xdf) == (0x80 | H264NalUnitType.IDR_SLICE);
        }
        if (t != H264NalUnitType.STAP_A) {
            return false;
        }
        boolean idr = false;
        int pos = 1;
        while (pos < length) {
            if (pos + 2 > length) {
                return false;
            }
            int size = buf.getUnsignedShort(offset + pos);
            pos += 2;
            if (size == 0 || size > length - pos) {
                return false;
            }
            int nal = buf.getUnsignedByte(offset + pos) & 0x1f;
            if (nal == 0 || nal >= 24) {
                return false;
            }
            idr |= nal == H264NalUnitType.IDR_SLICE;
            pos += size;
        }
        return idr;
    }
}
