package org.sluice.rtp.layer;

import io.netty.buffer.ByteBuf;
import org.sluice.rtp.codec.vp9.Vp9PayloadDescriptor;

/**
 * One receiver stream's VP9 SVC layer selection (RFC 9628), flexible and non-flexible mode: forwards the
 * layer frames whose spatial id (SID) and temporal id (TID) are at most the current ones, which follow the
 * {@linkplain #setTarget target} as fast as the stream allows, and moves the end-of-picture marker to the
 * last packet of the highest forwarded spatial layer.
 *
 * <h2>Pictures</h2>
 * A picture is identified by its picture id (or, without one, starts at a packet with B=1 on the lowest
 * spatial layer). Temporal and spatial down-switches are taken at the first packet seen of a picture and
 * hold for all its packets; the state of the previous picture is kept for its late packets, and an older
 * packet is decided against the current state without switching.
 *
 * <h2>Switching rules</h2>
 * <ul>
 *   <li>The filter starts (and after {@link #reset()} restarts) waiting for a key frame (B=1, P=0 on SID 0);
 *       a key frame sets both current layers to the targets.</li>
 *   <li>Temporal down and spatial down: at the next picture. Lower layers never reference higher ones.</li>
 *   <li>Temporal up: at a picture with U=1 (switching up point) whose TID is above the current one and at
 *       most the target: the current TID becomes that TID (later pictures of higher layers do not reference
 *       anything before it above its TID).</li>
 *   <li>Spatial up, one layer at a time: at the first packet (B=1) of a layer frame with SID = current + 1
 *       (at most the target) that is not inter-picture predicted (P=0). Such a frame depends at most on the
 *       lower spatial layer of the same picture (D=1, inter-layer prediction), which is forwarded, so the
 *       receiver can decode it; the next layer may follow in the same picture. Layer frames with P=1 depend
 *       on earlier frames of their layer, which the receiver does not have, and never switch.</li>
 * </ul>
 * A stream without layer indices (L=0) has one layer: everything is forwarded once started.
 *
 * <h2>Marker</h2>
 * A forwarded packet carries {@link LayerDecision#MARKER} when it ends the receiver's picture: its E bit is
 * set on the highest spatial layer forwarded for the picture, or it carried the source's marker (the
 * picture had no higher layer). The caller writes the RTP marker from the decision.
 *
 * <p>Pair it with a {@link Vp9Rewriter}: rewrite forwarded packets, report dropped ones.
 */
public final class Vp9LayerFilter {

    /** The highest VP9 spatial id (3 bits). */
    public static final int MAX_SPATIAL_ID = 7;
    /** The highest VP9 temporal id (3 bits). */
    public static final int MAX_TEMPORAL_ID = 7;

    private static final long NO_PICTURE = Long.MIN_VALUE;

    private final Vp9PayloadDescriptor descriptor = new Vp9PayloadDescriptor();
    private int targetSpatial = MAX_SPATIAL_ID;
    private int targetTemporal = MAX_TEMPORAL_ID;
    private int currentSpatial = -1;
    private int currentTemporal = -1;

    private long picture = NO_PICTURE;
    private long previousPicture = NO_PICTURE;
    private int previousSpatial = -1;
    private int previousTemporal = -1;
    private long pictureCounter;

    /** Selects spatial layers 0 to {@code maxSpatialId} and temporal layers 0 to {@code maxTemporalId}. */
    public void setTarget(int maxSpatialId, int maxTemporalId) {
        targetSpatial = Math.max(0, Math.min(MAX_SPATIAL_ID, maxSpatialId));
        targetTemporal = Math.max(0, Math.min(MAX_TEMPORAL_ID, maxTemporalId));
    }

    public int targetSpatial() {
        return targetSpatial;
    }

    public int targetTemporal() {
        return targetTemporal;
    }

    /** The spatial layer currently forwarded up to, or -1 while waiting for a key frame. */
    public int currentSpatial() {
        return currentSpatial;
    }

    /** The temporal layer currently forwarded up to, or -1 while waiting for a key frame. */
    public int currentTemporal() {
        return currentTemporal;
    }

    /** Waits for a key frame again (a new source); keeps the targets. */
    public void reset() {
        currentSpatial = -1;
        currentTemporal = -1;
        picture = NO_PICTURE;
        previousPicture = NO_PICTURE;
    }

    /**
     * Decides one packet of VP9 payload {@code src[off, off + len)} whose RTP marker bit is {@code marker}:
     * {@link LayerDecision#DROP}, {@link LayerDecision#FORWARD}, or FORWARD | {@link LayerDecision#MARKER}.
     * A malformed descriptor is dropped.
     */
    public int decide(ByteBuf src, int off, int len, boolean marker) {
        Vp9PayloadDescriptor d = descriptor;
        if (!d.wrap(src, off, len)) {
            return LayerDecision.DROP;
        }
        int sid = Math.max(0, d.spatialId());
        int tid = Math.max(0, d.temporalId());
        long key;
        if (d.hasPictureId()) {
            key = d.pictureId();
            if (key != picture && key == previousPicture) {
                return decision(d, sid, tid, previousSpatial, previousTemporal, marker);
            }
            if (key != picture && picture != NO_PICTURE && older(d, (int) picture)) {
                return decision(d, sid, tid, currentSpatial, currentTemporal, marker);
            }
        } else {
            key = d.isStartOfFrame() && sid == 0 || picture == NO_PICTURE ? --pictureCounter : picture;
        }
        if (key != picture) {
            newPicture(d, tid, key);
        }
        if (currentSpatial >= 0 && d.isStartOfFrame() && sid == currentSpatial + 1 && sid <= targetSpatial
                && !d.isInterPicturePredicted() && tid <= currentTemporal) {
            currentSpatial = sid;
        }
        return decision(d, sid, tid, currentSpatial, currentTemporal, marker);
    }

    private static boolean older(Vp9PayloadDescriptor d, int last) {
        int bits = d.pictureIdBits();
        int delta = (d.pictureId() - last) & ((1 << bits) - 1);
        return delta >= (1 << (bits - 1));
    }

    private void newPicture(Vp9PayloadDescriptor d, int tid, long key) {
        previousPicture = picture;
        previousSpatial = currentSpatial;
        previousTemporal = currentTemporal;
        picture = key;
        if (d.isKeyFrame()) {
            currentSpatial = targetSpatial;
            currentTemporal = targetTemporal;
            return;
        }
        if (currentSpatial < 0) {
            return;
        }
        if (targetTemporal < currentTemporal) {
            currentTemporal = targetTemporal;
        } else if (targetTemporal > currentTemporal && d.isSwitchingUpPoint() && tid > currentTemporal
                && tid <= targetTemporal) {
            currentTemporal = tid;
        }
        if (targetSpatial < currentSpatial) {
            currentSpatial = targetSpatial;
        }
    }

    private static int decision(Vp9PayloadDescriptor d, int sid, int tid, int maxSpatial, int maxTemporal,
                                boolean marker) {
        if (maxSpatial < 0 || sid > maxSpatial || tid > maxTemporal) {
            return LayerDecision.DROP;
        }
        if (marker || d.isEndOfFrame() && sid == maxSpatial) {
            return LayerDecision.FORWARD | LayerDecision.MARKER;
        }
        return LayerDecision.FORWARD;
    }
}
