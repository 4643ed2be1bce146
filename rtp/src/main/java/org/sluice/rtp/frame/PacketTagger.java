package org.sluice.rtp.frame;

import io.netty.buffer.ByteBuf;
import org.sluice.rtp.codec.Codec;
import org.sluice.rtp.codec.PayloadBounds;
import org.sluice.rtp.codec.av1.Av1DecodeTargetIndication;
import org.sluice.rtp.codec.av1.Av1DependencyDescriptor;
import org.sluice.rtp.codec.av1.Av1DependencyStructure;
import org.sluice.rtp.codec.h264.H264Payload;
import org.sluice.rtp.codec.vp8.Vp8PayloadDescriptor;
import org.sluice.rtp.codec.vp9.Vp9PayloadDescriptor;

/**
 * Fills a {@link PacketTag} from one video packet's payload. Per codec:
 *
 * <ul>
 *   <li><b>VP8</b> (RFC 7741): begin = S=1 and PID=0; end = RTP marker; TID, Y (switch point),
 *       picture id (frame id), TL0PICIDX; key frame = P bit 0 on the first packet.</li>
 *   <li><b>VP9</b> (RFC 9628): begin/end = B/E; SID, TID, U (switch point), D (inter-layer
 *       dependency), P (inter-picture prediction), picture id (frame id); flexible mode: the P_DIFFs
 *       are the references (none when P=0); non-flexible: TL0PICIDX. Key frame = P=0 on spatial
 *       layer 0 (or without layer indices).</li>
 *   <li><b>H.264</b> (RFC 6184): begin = {@link H264Payload#isStartOfFrameHint()} (a NAL unit
 *       starting an access unit: AUD, SEI, SPS, PPS or a slice with first_mb_in_slice 0, whole, in a
 *       STAP-A or in an FU-A start); end = marker; key frame = IDR data or SPS; no layers.</li>
 *   <li><b>AV1 with a dependency descriptor</b>: begin/end = start_of_frame/end_of_frame; layers
 *       from the frame's template; frame id = frame_number (16 bits); references = frame diffs;
 *       key frame = no frame diffs, or the aggregation header's N bit; switch point = decode target
 *       indication SWITCH for the frame's own layer.</li>
 *   <li><b>AV1 without a descriptor</b> (aggregation header only): the temporal unit is one frame on
 *       spatial layer 0; begin = N, or Z=0 with a first OBU that is a sequence header, frame header
 *       or frame; end = marker; temporal id from the first OBU's extension header.</li>
 *   <li><b>Opus</b>, unknown codecs, and payloads that do not parse: {@code false}.</li>
 * </ul>
 *
 * <p><b>Any video codec with a dependency descriptor</b> ({@link #tagWithDescriptor}): the payload is tagged as
 * above, then the descriptor, where it resolves, is authoritative for the layers: spatial and temporal ids from
 * the frame's template, switch point = decode target indication SWITCH for the frame's own layer, key frame also
 * when the frame has no frame diffs. Encoders may put the layers only there: Chrome's VP8 in scalability mode
 * L1T3 writes no TID into the VP8 payload descriptor. Except for VP9 (whose tracker keys frames and references
 * by spatial layer and picture id, which its payload descriptor always carries), frame begin/end, the frame id
 * (frame_number) and the references (frame diffs) come from the descriptor too. A descriptor that does not
 * resolve (malformed, or no structure yet) leaves the payload's tag and is counted in
 * {@link #descriptorsUnresolved()}.
 *
 * <p>On {@code false} the tag is cleared. Never throws on hostile input and allocates nothing per
 * packet. One instance per thread; not thread-safe.
 */
public final class PacketTagger {

    private static final int AV1_Z = 0x80;
    private static final int AV1_W = 0x30;
    private static final int AV1_N = 0x08;
    private static final int OBU_SEQUENCE_HEADER = 1;
    private static final int OBU_FRAME_HEADER = 3;
    private static final int OBU_FRAME = 6;

    private final Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
    private final Vp9PayloadDescriptor vp9 = new Vp9PayloadDescriptor();
    private final H264Payload h264 = new H264Payload();
    private long descriptorsUnresolved;

    /**
     * Tags {@code payloadLength} bytes of RTP payload at absolute {@code payloadOffset}.
     * AV1 packets are tagged from the aggregation header only; use
     * {@link #tagAv1} when the dependency descriptor is negotiated.
     *
     * @return {@code true} when {@code out} describes a video packet
     */
    public boolean tag(Codec codec, ByteBuf buf, int payloadOffset, int payloadLength, boolean marker,
                       PacketTag out) {
        out.clear();
        if (codec == null || !codec.isVideo() || !PayloadBounds.fits(buf, payloadOffset, payloadLength)
                || payloadLength < 1) {
            return false;
        }
        boolean ok;
        switch (codec) {
            case VP8:
                ok = tagVp8(buf, payloadOffset, payloadLength, marker, out);
                break;
            case VP9:
                ok = tagVp9(buf, payloadOffset, payloadLength, out);
                break;
            case H264:
                ok = tagH264(buf, payloadOffset, payloadLength, marker, out);
                break;
            case AV1:
                ok = tagAv1Aggregation(buf, payloadOffset, payloadLength, marker, out);
                break;
            default:
                ok = false;
        }
        if (!ok) {
            out.clear();
            return false;
        }
        out.codec = codec;
        if (out.keyframe) {
            out.switchPoint = true;
        }
        return true;
    }

    /**
     * Tags an AV1 packet with its dependency descriptor ({@code ddLength} bytes of extension data at
     * absolute {@code ddOffset} of {@code ddBuf}), resolved against the stream's {@code holder}. A
     * missing descriptor ({@code ddBuf == null} or {@code ddLength <= 0}) falls back to the
     * aggregation header. A descriptor that cannot be resolved (malformed, or no structure yet)
     * answers {@code false}.
     */
    public boolean tagAv1(ByteBuf buf, int payloadOffset, int payloadLength, boolean marker,
                          ByteBuf ddBuf, int ddOffset, int ddLength, Av1StructureHolder holder, PacketTag out) {
        if (ddBuf == null || ddLength <= 0 || holder == null) {
            return tag(Codec.AV1, buf, payloadOffset, payloadLength, marker, out);
        }
        out.clear();
        if (!PayloadBounds.fits(buf, payloadOffset, payloadLength) || payloadLength < 1) {
            return false;
        }
        Av1DependencyDescriptor dd = holder.descriptor();
        if (!dd.wrap(ddBuf, ddOffset, ddLength)) {
            return false;
        }
        out.codec = Codec.AV1;
        out.frameBegin = dd.isStartOfFrame();
        out.frameEnd = dd.isEndOfFrame();
        out.spatialId = clampLayer(dd.spatialId());
        out.temporalId = clampLayer(dd.temporalId());
        out.frameId = dd.frameNumber();
        out.frameIdBits = 16;
        out.referencesKnown = true;
        int diffs = dd.frameDiffCount();
        for (int k = 0; k < diffs; k++) {
            out.addReference(dd.frameDiff(k));
        }
        boolean n = (buf.getUnsignedByte(payloadOffset) & AV1_N) != 0;
        out.keyframe = diffs == 0 || (n && out.spatialId == 0);
        out.interPicturePredicted = !out.keyframe;
        out.switchPoint = out.keyframe || isSwitch(dd, out.spatialId, out.temporalId);
        return true;
    }

    /**
     * Tags a video packet of any codec that may carry a dependency descriptor ({@code ddLength} bytes of extension
     * data at absolute {@code ddOffset} of {@code ddBuf}; {@code ddBuf == null} or {@code ddLength <= 0} when the
     * packet has none), resolved against the stream's {@code holder}. AV1 goes to {@link #tagAv1}; other codecs are
     * tagged from their payload and their layers taken from the descriptor (see the class comment).
     *
     * @return {@code true} when {@code out} describes a video packet
     */
    public boolean tagWithDescriptor(Codec codec, ByteBuf buf, int payloadOffset, int payloadLength, boolean marker,
                                     ByteBuf ddBuf, int ddOffset, int ddLength, Av1StructureHolder holder,
                                     PacketTag out) {
        if (codec == Codec.AV1) {
            return tagAv1(buf, payloadOffset, payloadLength, marker, ddBuf, ddOffset, ddLength, holder, out);
        }
        if (!tag(codec, buf, payloadOffset, payloadLength, marker, out)) {
            return false;
        }
        if (ddBuf == null || ddLength <= 0 || holder == null) {
            return true;
        }
        Av1DependencyDescriptor dd = holder.descriptor();
        if (!dd.wrap(ddBuf, ddOffset, ddLength)) {
            descriptorsUnresolved++;
            return true; // the payload's own tag is the best there is
        }
        out.spatialId = clampLayer(dd.spatialId());
        out.temporalId = clampLayer(dd.temporalId());
        int diffs = dd.frameDiffCount();
        if (diffs == 0) {
            out.keyframe = true;
            out.interPicturePredicted = false;
        }
        out.switchPoint = out.keyframe || isSwitch(dd, out.spatialId, out.temporalId);
        if (codec != Codec.VP9) {
            out.frameBegin = dd.isStartOfFrame();
            out.frameEnd = dd.isEndOfFrame();
            out.frameId = dd.frameNumber();
            out.frameIdBits = 16;
            out.referencesKnown = true;
            out.referenceCount = 0;
            for (int k = 0; k < diffs; k++) {
                out.addReference(dd.frameDiff(k));
            }
        }
        return true;
    }

    /** Dependency descriptors {@link #tagWithDescriptor} could not resolve (malformed, or before a structure). */
    public long descriptorsUnresolved() {
        return descriptorsUnresolved;
    }

    /** SWITCH for a decode target of exactly this layer, else for any target of this spatial layer. */
    private static boolean isSwitch(Av1DependencyDescriptor dd, int spatialId, int temporalId) {
        Av1DependencyStructure s = dd.structure();
        int targets = s.decodeTargetCount();
        boolean anyOfLayer = false;
        for (int dt = 0; dt < targets; dt++) {
            if (s.decodeTargetSpatialId(dt) != spatialId) {
                continue;
            }
            boolean isSwitch = dd.decodeTargetIndication(dt) == Av1DecodeTargetIndication.SWITCH;
            if (s.decodeTargetMaxTemporalId(dt) == temporalId) {
                return isSwitch;
            }
            anyOfLayer |= isSwitch;
        }
        return anyOfLayer;
    }

    private boolean tagVp8(ByteBuf buf, int offset, int length, boolean marker, PacketTag out) {
        Vp8PayloadDescriptor d = vp8;
        if (!d.wrap(buf, offset, length)) {
            return false;
        }
        out.frameBegin = d.isStartOfFrame();
        out.frameEnd = marker;
        out.keyframe = d.isKeyFrame();
        out.interPicturePredicted = !out.keyframe;
        out.temporalId = d.hasTid() ? d.tid() : 0;
        out.switchPoint = d.layerSync();
        out.pictureId = d.pictureId();
        out.tl0PicIdx = d.tl0PicIdx();
        if (d.hasPictureId()) {
            out.frameId = out.pictureId;
            out.frameIdBits = d.pictureIdBits();
        }
        return true;
    }

    private boolean tagVp9(ByteBuf buf, int offset, int length, PacketTag out) {
        Vp9PayloadDescriptor d = vp9;
        if (!d.wrap(buf, offset, length)) {
            return false;
        }
        out.frameBegin = d.isStartOfFrame();
        out.frameEnd = d.isEndOfFrame();
        boolean layers = d.hasLayerIndices();
        out.spatialId = layers ? d.spatialId() : 0;
        out.temporalId = layers ? d.temporalId() : 0;
        out.switchPoint = d.isSwitchingUpPoint();
        out.interLayerDependent = d.isInterLayerDependent() && out.spatialId > 0;
        out.interPicturePredicted = d.isInterPicturePredicted();
        // Every packet of a key picture's base layer has P=0, so every packet is marked.
        out.keyframe = !out.interPicturePredicted && out.spatialId == 0;
        out.pictureId = d.pictureId();
        out.tl0PicIdx = d.tl0PicIdx();
        if (d.hasPictureId()) {
            out.frameId = out.pictureId;
            out.frameIdBits = d.pictureIdBits();
        }
        if (d.isFlexibleMode()) {
            out.referencesKnown = true;
            int count = d.pDiffCount();
            for (int k = 0; k < count; k++) {
                out.addReference(d.pDiff(k));
            }
        }
        return true;
    }

    private boolean tagH264(ByteBuf buf, int offset, int length, boolean marker, PacketTag out) {
        H264Payload p = h264;
        if (!p.wrap(buf, offset, length)) {
            return false;
        }
        out.frameBegin = p.isStartOfFrameHint();
        out.frameEnd = marker;
        out.keyframe = p.isKeyFrame() || p.containsIdrData() || p.containsSps();
        out.interPicturePredicted = !out.keyframe;
        return true;
    }

    private static boolean tagAv1Aggregation(ByteBuf buf, int offset, int length, boolean marker, PacketTag out) {
        int header = buf.getUnsignedByte(offset);
        boolean n = (header & AV1_N) != 0;
        boolean z = (header & AV1_Z) != 0;
        int w = (header & AV1_W) >>> 4;
        int pos = 1;
        int obuType = -1;
        int obuExtension = -1;
        if (!z) {
            if (w != 1) {
                // The first element carries a leb128 length; skip it (at most 8 bytes).
                int bytes = 0;
                while (true) {
                    if (pos >= length || bytes == 8) {
                        return false;
                    }
                    int b = buf.getUnsignedByte(offset + pos);
                    pos++;
                    bytes++;
                    if ((b & 0x80) == 0) {
                        break;
                    }
                }
            }
            if (pos < length) {
                int obu = buf.getUnsignedByte(offset + pos);
                obuType = (obu >>> 3) & 0x0F;
                if ((obu & 0x04) != 0 && pos + 1 < length) {
                    obuExtension = buf.getUnsignedByte(offset + pos + 1);
                }
            }
        }
        out.keyframe = n;
        out.interPicturePredicted = !n;
        out.frameBegin = n || obuType == OBU_SEQUENCE_HEADER || obuType == OBU_FRAME_HEADER || obuType == OBU_FRAME;
        out.frameEnd = marker;
        out.temporalId = obuExtension < 0 ? 0 : obuExtension >>> 5;
        return true;
    }

    private static int clampLayer(int id) {
        return id < 0 ? 0 : Math.min(id, 7);
    }
}
