package org.sluice.rtp.codec.opus;

import io.netty.buffer.ByteBuf;
import org.sluice.rtp.codec.PayloadBounds;

/**
 * A reusable view over an Opus RTP payload (RFC 7587 §4.2: one Opus packet per RTP packet), reading
 * only the TOC byte (RFC 6716 §3.1) and, for code 3, the frame count byte (§3.2.5).
 *
 * <pre>
 *  0 1 2 3 4 5 6 7
 * +-+-+-+-+-+-+-+-+
 * | config  |s| c |
 * +-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Validation is the subset of RFC 6716 §3.4 that needs no frame walk: the packet is not empty
 * (R1), code 1 has an odd total length (R3), code 2 and code 3 have their length/count bytes (R4,
 * R6), and code 3 has at least one frame and at most 120 ms of audio (R5). A payload of at most two
 * bytes is a DTX / comfort-noise packet (RFC 7587 §3.1.3: "a packet of 1 or 2 bytes").
 */
public final class OpusPacket {

    public static final String REASON_BOUNDS = "payload region outside the buffer";
    public static final String REASON_EMPTY = "empty Opus packet";
    public static final String REASON_CODE1_EVEN = "Opus code 1 packet with two unequal frames";
    public static final String REASON_CODE2_SHORT = "Opus code 2 packet without a frame length";
    public static final String REASON_CODE3_SHORT = "Opus code 3 packet without a frame count";
    public static final String REASON_CODE3_COUNT = "Opus code 3 packet with no frame or over 120 ms";

    /** DTX and comfort-noise packets are at most this many bytes. */
    public static final int MAX_DTX_LENGTH = 2;
    /** The longest Opus packet duration, 120 ms, in 48 kHz samples (RFC 6716 §3.2.5). */
    public static final int MAX_PACKET_SAMPLES_48K = 5760;

    private static final OpusBandwidth[] BANDWIDTHS = OpusBandwidth.values();

    private int toc;
    private int frameCount;
    private int length;
    private boolean valid;
    private String invalidReason = REASON_EMPTY;

    /**
     * Points this view at {@code length} bytes of RTP payload starting at absolute {@code offset}.
     *
     * @return {@code true} when the TOC (and frame count byte for code 3) is present and consistent
     */
    public boolean wrap(ByteBuf buf, int offset, int length) {
        valid = false;
        frameCount = 0;
        toc = 0;
        this.length = 0;
        if (!PayloadBounds.fits(buf, offset, length)) {
            invalidReason = REASON_BOUNDS;
            return false;
        }
        if (length < 1) {
            invalidReason = REASON_EMPTY;
            return false;
        }
        int t = buf.getUnsignedByte(offset);
        int count;
        switch (t & 0x03) {
            case 0:
                count = 1;
                break;
            case 1:
                if ((length - 1) % 2 != 0) {
                    invalidReason = REASON_CODE1_EVEN;
                    return false;
                }
                count = 2;
                break;
            case 2:
                if (length < 2) {
                    invalidReason = REASON_CODE2_SHORT;
                    return false;
                }
                count = 2;
                break;
            default:
                if (length < 2) {
                    invalidReason = REASON_CODE3_SHORT;
                    return false;
                }
                count = buf.getUnsignedByte(offset + 1) & 0x3f;
                if (count == 0 || count * frameSamples48k(t >>> 3) > MAX_PACKET_SAMPLES_48K) {
                    invalidReason = REASON_CODE3_COUNT;
                    return false;
                }
                break;
        }
        toc = t;
        frameCount = count;
        this.length = length;
        valid = true;
        invalidReason = null;
        return true;
    }

    public boolean isValid() {
        return valid;
    }

    /** Why the last {@link #wrap} failed (a constant), or {@code null}. */
    public String invalidReason() {
        return invalidReason;
    }

    /** The 5-bit configuration number (0 to 31). */
    public int config() {
        return toc >>> 3;
    }

    public OpusMode mode() {
        return modeOf(config());
    }

    public OpusBandwidth bandwidth() {
        return bandwidthOf(config());
    }

    /** The s bit: stereo. */
    public boolean isStereo() {
        return (toc & 0x04) != 0;
    }

    /** The frame count code c (0 to 3). */
    public int frameCountCode() {
        return toc & 0x03;
    }

    /** Frames in the packet (1, 2, or the code 3 count). */
    public int frameCount() {
        return frameCount;
    }

    /** Duration of one frame in 48 kHz samples (120 for 2.5 ms up to 2880 for 60 ms). */
    public int frameSamples48k() {
        return frameSamples48k(config());
    }

    /** Duration of one frame in microseconds. */
    public int frameDurationMicros() {
        return frameSamples48k() * 1000 / 48;
    }

    /** Duration of the whole packet in 48 kHz samples (the RTP timestamp advance). */
    public int packetSamples48k() {
        return frameCount * frameSamples48k();
    }

    /** Duration of the whole packet in microseconds. */
    public int packetDurationMicros() {
        return packetSamples48k() * 1000 / 48;
    }

    /** A DTX / comfort-noise packet: at most two bytes (RFC 7587 §3.1.3). */
    public boolean isDtx() {
        return valid && length <= MAX_DTX_LENGTH;
    }

    /** Mode for a configuration number (RFC 6716 Table 2). */
    public static OpusMode modeOf(int config) {
        return config < 12 ? OpusMode.SILK : config < 16 ? OpusMode.HYBRID : OpusMode.CELT;
    }

    /** Bandwidth for a configuration number (RFC 6716 Table 2). */
    public static OpusBandwidth bandwidthOf(int config) {
        if (config < 12) {
            return BANDWIDTHS[config >>> 2]; // NB, MB, WB
        }
        if (config < 16) {
            return config < 14 ? OpusBandwidth.SUPERWIDEBAND : OpusBandwidth.FULLBAND;
        }
        int band = (config - 16) >>> 2; // NB, WB, SWB, FB (no mediumband in CELT)
        return band == 0 ? OpusBandwidth.NARROWBAND : BANDWIDTHS[band + 1];
    }

    /** Frame size in 48 kHz samples for a configuration number (RFC 6716 Table 2). */
    public static int frameSamples48k(int config) {
        int index = config & 0x03;
        if (config < 12) {
            return index == 0 ? 480 : index == 1 ? 960 : index == 2 ? 1920 : 2880; // 10/20/40/60 ms
        }
        if (config < 16) {
            return (index & 1) == 0 ? 480 : 960; // 10/20 ms
        }
        return 120 << index; // 2.5/5/10/20 ms
    }
}
