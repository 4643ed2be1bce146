package org.sluice.rtp.frame;

import org.sluice.rtp.codec.Codec;

/**
 * What {@link PacketTagger} learned about one video packet: frame boundaries, layers, picture ids
 * and, where the codec says so, the frames it references. A mutable, reusable descriptor with public
 * fields: allocate one per stream (or thread) and let the tagger overwrite it for every packet.
 *
 * <ul>
 *   <li>{@link #frameBegin}/{@link #frameEnd}: first/last packet of a layer frame (VP8: S=1 and
 *       PID=0 / RTP marker; VP9: B / E; H.264: start-of-access-unit hint / marker; AV1 with a
 *       dependency descriptor: start_of_frame / end_of_frame).</li>
 *   <li>{@link #keyframe}: the frame decodes on its own (VP8 P=0, VP9 P=0 on spatial layer 0,
 *       H.264 IDR or SPS, AV1 a frame without references). For VP8 this is only visible on the
 *       frame's first packet; the tracker ORs it over the frame.</li>
 *   <li>{@link #switchPoint}: a receiver may move up to this temporal layer here (VP8 Y, VP9 U,
 *       AV1 decode target indication SWITCH); always set on key frames.</li>
 *   <li>{@link #frameId}: the id references count from (VP8/VP9 picture id, AV1 frame_number),
 *       modulo {@code 2^}{@link #frameIdBits}; -1 when absent.</li>
 *   <li>{@link #referencesKnown}: {@link #references} lists every frame this one predicts from,
 *       as positive distances back in {@link #frameId} (VP9 flexible-mode P_DIFFs, within the same
 *       spatial layer; AV1 frame diffs, across layers). When false the tracker falls back to
 *       implicit rules (see {@link FrameTracker}).</li>
 * </ul>
 */
public final class PacketTag {

    /** Most references a tag holds (the AV1 descriptor's limit; VP9 needs 3). */
    public static final int MAX_REFERENCES = 16;

    /** The codec of the last tagged packet, {@code null} after {@link #clear()}. */
    public Codec codec;
    public boolean keyframe;
    public boolean frameBegin;
    public boolean frameEnd;
    public boolean switchPoint;
    /** Spatial layer, 0 when the codec has none (0..7). */
    public int spatialId;
    /** Temporal layer, 0 when the codec has none (0..7). */
    public int temporalId;
    /** VP8/VP9 picture id, -1 when absent. */
    public int pictureId;
    /** VP8/VP9 TL0PICIDX, -1 when absent. */
    public int tl0PicIdx;
    /** Frame id references are measured in (see class comment), -1 when absent. */
    public long frameId;
    /** Bits of {@link #frameId} (7, 15 or 16), 0 when absent. */
    public int frameIdBits;
    /**
     * The frame predicts from earlier pictures (VP9 P bit); false for key frames and for VP9 upper
     * spatial layers of a key picture, which only use {@link #interLayerDependent} prediction.
     */
    public boolean interPicturePredicted;
    /** VP9 D bit: the layer frame predicts from spatial layer {@code spatialId - 1} of its picture. */
    public boolean interLayerDependent;
    /** {@link #references} is authoritative (VP9 flexible mode, AV1 dependency descriptor). */
    public boolean referencesKnown;
    /** Number of valid entries in {@link #references}. */
    public int referenceCount;
    /** Distances back in {@link #frameId} to referenced frames, first {@link #referenceCount} valid. */
    public final int[] references = new int[MAX_REFERENCES];

    /** Resets every field to "nothing known". */
    public void clear() {
        codec = null;
        keyframe = false;
        frameBegin = false;
        frameEnd = false;
        switchPoint = false;
        spatialId = 0;
        temporalId = 0;
        pictureId = -1;
        tl0PicIdx = -1;
        frameId = -1;
        frameIdBits = 0;
        interPicturePredicted = false;
        interLayerDependent = false;
        referencesKnown = false;
        referenceCount = 0;
    }

    /** Appends a reference distance, ignoring it when full or not positive; for the tagger and tests. */
    public void addReference(int distance) {
        if (distance > 0 && referenceCount < MAX_REFERENCES) {
            references[referenceCount++] = distance;
        }
    }

    /** The {@code k}-th reference distance, or 0 when {@code k} is out of range. */
    public int reference(int k) {
        return k >= 0 && k < referenceCount ? references[k] : 0;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("PacketTag{").append(codec)
                .append(keyframe ? " key" : "").append(frameBegin ? " begin" : "").append(frameEnd ? " end" : "")
                .append(switchPoint ? " switch" : "").append(" S").append(spatialId).append('T').append(temporalId)
                .append(" pid=").append(pictureId).append(" tl0=").append(tl0PicIdx).append(" id=").append(frameId);
        if (referencesKnown) {
            sb.append(" refs=[");
            for (int k = 0; k < referenceCount; k++) {
                sb.append(k == 0 ? "" : ",").append(references[k]);
            }
            sb.append(']');
        }
        return sb.append('}').toString();
    }
}
