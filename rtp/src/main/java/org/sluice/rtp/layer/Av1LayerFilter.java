package org.sluice.rtp.layer;

import org.sluice.rtp.codec.av1.Av1DecodeTargetIndication;
import org.sluice.rtp.codec.av1.Av1DependencyDescriptor;
import org.sluice.rtp.codec.av1.Av1DependencyStructure;
import org.sluice.rtp.codec.av1.Av1DescriptorResult;

/**
 * One receiver stream's layer selection by decode target, from the dependency descriptor (AV1 RTP
 * specification, Appendix A): a frame is forwarded iff its decode target indication (DTI) for the current
 * decode target is not NOT_PRESENT. The descriptor is codec-agnostic: the filter serves AV1 and any other codec
 * whose packets carry it (Chrome's VP8 in scalability mode L1T3 names its temporal layers only there).
 *
 * <h2>Target</h2>
 * Either a decode target index ({@link #setTarget}) or layer limits ({@link #setLayerTarget}): then the target
 * is, per frame, the decode target of the frame's structure with the highest spatial layer, then the highest
 * temporal layer, within the limits (decode target 0 when none fits).
 *
 * <h2>Switching rule</h2>
 * The filter starts (and after {@link #reset()} restarts) with no current decode target, dropping
 * everything. The current target becomes the {@linkplain #setTarget target}, in either direction, only at a
 * frame whose DTI for the target is SWITCH, or at a key frame (a descriptor that attaches the structure and
 * has no frame dependencies). The decision is taken at the first packet seen of a frame (by frame number)
 * and held for all its packets; the previous frame's decision is kept for its late packets, and an older
 * packet is decided against the current target without switching. A target beyond the structure's decode
 * targets means the highest one; a new structure with fewer decode targets than the current one restarts
 * the wait.
 *
 * <h2>Marker</h2>
 * A forwarded packet carries {@link LayerDecision#MARKER} when it ends the receiver's temporal unit: it ends
 * a frame ({@code end_of_frame}) of the current target's highest spatial layer, or it carried the source's
 * marker.
 *
 * <p>The descriptor is read by {@link #decide} only; the caller parses it with the source stream's
 * {@link Av1DependencyDescriptor} (which keeps the structure) before. Frame numbers are not rewritten:
 * receivers expect holes where frames of other decode targets were.
 */
public final class Av1LayerFilter {

    private static final int NO_FRAME = -1;

    private int target = Av1DependencyStructure.MAX_DECODE_TARGETS - 1;
    /** Layer limits, or -1 when {@link #target} is an index. */
    private int maxSpatial = -1;
    private int maxTemporal = -1;
    private int current = -1;
    /** The receiver has had every frame so far: the first valid descriptor sets the current target to the top. */
    private boolean continueFromAll;
    private int frame = NO_FRAME;
    private int frameDecision;
    private int previousFrame = NO_FRAME;
    private int previousDecision;

    /** Selects decode target {@code decodeTarget} (clamped to 0..31, then to the structure's targets). */
    public void setTarget(int decodeTarget) {
        target = Math.max(0, Math.min(Av1DependencyStructure.MAX_DECODE_TARGETS - 1, decodeTarget));
        maxSpatial = -1;
        maxTemporal = -1;
    }

    /**
     * Selects, per frame, the structure's decode target with the highest layers whose spatial id is at most
     * {@code maxSpatialId} and whose highest temporal id is at most {@code maxTemporalId} (see the class comment).
     */
    public void setLayerTarget(int maxSpatialId, int maxTemporalId) {
        maxSpatial = Math.max(0, maxSpatialId);
        maxTemporal = Math.max(0, maxTemporalId);
    }

    /**
     * The receiver has been forwarded every frame until now (the selection starts mid-stream): instead of waiting
     * for a key frame, the filter continues from the structure's highest decode target and moves to the target at
     * its next switch point. Cleared by {@link #reset()}.
     */
    public void continueFromAll() {
        if (current < 0) {
            continueFromAll = true;
        }
    }

    /**
     * The decode target of {@code s} with the highest spatial id, then the highest temporal id, within
     * {@code maxSpatialId} and {@code maxTemporalId}; 0 when none fits.
     */
    public static int decodeTargetFor(Av1DependencyStructure s, int maxSpatialId, int maxTemporalId) {
        int best = 0;
        int bestSpatial = -1;
        int bestTemporal = -1;
        for (int dt = 0; dt < s.decodeTargetCount(); dt++) {
            int sid = s.decodeTargetSpatialId(dt);
            int tid = s.decodeTargetMaxTemporalId(dt);
            if (sid <= maxSpatialId && tid <= maxTemporalId
                    && (sid > bestSpatial || sid == bestSpatial && tid > bestTemporal)) {
                best = dt;
                bestSpatial = sid;
                bestTemporal = tid;
            }
        }
        return best;
    }

    /** The target decode target. */
    public int target() {
        return target;
    }

    /** The decode target currently forwarded, or -1 while waiting for a switch point. */
    public int current() {
        return current;
    }

    /** Waits for a switch point again (a new source); keeps the target. */
    public void reset() {
        current = -1;
        continueFromAll = false;
        frame = NO_FRAME;
        previousFrame = NO_FRAME;
    }

    /**
     * Decides one packet whose dependency descriptor {@code dd} has just parsed, with RTP marker
     * {@code marker}: {@link LayerDecision#DROP}, {@link LayerDecision#FORWARD}, or FORWARD |
     * {@link LayerDecision#MARKER}. A descriptor that did not parse (or is missing: {@code null}) is dropped.
     */
    public int decide(Av1DependencyDescriptor dd, boolean marker) {
        if (dd == null || dd.result() != Av1DescriptorResult.VALID) {
            return LayerDecision.DROP;
        }
        Av1DependencyStructure s = dd.structure();
        int targets = s.decodeTargetCount();
        if (current >= targets) {
            current = -1;
        }
        if (continueFromAll) {
            continueFromAll = false;
            current = targets - 1;
        }
        int frameNumber = dd.frameNumber();
        int decision;
        if (frameNumber == frame) {
            decision = frameDecision;
        } else if (frameNumber == previousFrame) {
            decision = previousDecision;
        } else if (frame != NO_FRAME && (short) (frameNumber - frame) < 0) {
            decision = frameDecision(dd);
        } else {
            int wanted = maxSpatial < 0 ? Math.min(target, targets - 1) : decodeTargetFor(s, maxSpatial, maxTemporal);
            if (wanted != current && (isKeyFrame(dd)
                    || dd.decodeTargetIndication(wanted) == Av1DecodeTargetIndication.SWITCH)) {
                current = wanted;
            }
            previousFrame = frame;
            previousDecision = frameDecision;
            frame = frameNumber;
            frameDecision = frameDecision(dd);
            decision = frameDecision;
        }
        if (decision == LayerDecision.DROP) {
            return decision;
        }
        if (marker || dd.isEndOfFrame() && current >= 0 && dd.spatialId() == s.decodeTargetSpatialId(current)) {
            return LayerDecision.FORWARD | LayerDecision.MARKER;
        }
        return LayerDecision.FORWARD;
    }

    private static boolean isKeyFrame(Av1DependencyDescriptor dd) {
        return dd.isStructureAttached() && dd.frameDiffCount() == 0;
    }

    private int frameDecision(Av1DependencyDescriptor dd) {
        return current >= 0 && current < dd.structure().decodeTargetCount()
                && dd.decodeTargetIndication(current) != Av1DecodeTargetIndication.NOT_PRESENT
                ? LayerDecision.FORWARD : LayerDecision.DROP;
    }
}
