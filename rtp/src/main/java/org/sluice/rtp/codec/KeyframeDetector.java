package org.sluice.rtp.codec;

import io.netty.buffer.ByteBuf;
import org.sluice.rtp.codec.h264.H264Payload;
import org.sluice.rtp.codec.vp8.Vp8PayloadDescriptor;
import org.sluice.rtp.codec.vp9.Vp9PayloadDescriptor;

/**
 * One allocation-free question for the forwarder: does this RTP payload start a key frame?
 *
 * <ul>
 *   <li>VP8: S=1, PID=0 and the payload header's P bit is 0 (RFC 7741 §4.3).</li>
 *   <li>VP9: B=1, P=0 on spatial layer 0 or without layer indices (see {@link Vp9PayloadDescriptor}).</li>
 *   <li>H.264: an IDR slice whole, in a STAP-A, or as the first FU-A fragment (see {@link H264Payload}).</li>
 *   <li>AV1: the aggregation header's N bit, "first packet of a coded video sequence" (AV1 RTP
 *       specification §4.4); the dependency descriptor, when negotiated, gives the same answer
 *       through an attached structure.</li>
 *   <li>Opus: every packet decodes on its own, so always {@code true} for a non-empty payload.</li>
 * </ul>
 *
 * Malformed or out-of-bounds input answers {@code false}; nothing throws.
 */
public final class KeyframeDetector {

    /** AV1 aggregation header (Z|Y|W W|N|-|-|-): N bit. */
    private static final int AV1_N_BIT = 0x08;

    private KeyframeDetector() {
    }

    /** Whether {@code length} bytes of RTP payload at absolute {@code offset} start a key frame. */
    public static boolean isKeyframe(Codec codec, ByteBuf buf, int offset, int length) {
        if (codec == null || !PayloadBounds.fits(buf, offset, length) || length < 1) {
            return false;
        }
        switch (codec) {
            case VP8:
                return Vp8PayloadDescriptor.isKeyFrame(buf, offset, length);
            case VP9:
                return Vp9PayloadDescriptor.isKeyFrame(buf, offset, length);
            case H264:
                return H264Payload.isKeyFrame(buf, offset, length);
            case AV1:
                return (buf.getUnsignedByte(offset) & AV1_N_BIT) != 0;
            case OPUS:
                return true;
            default:
                return false;
        }
    }
}
