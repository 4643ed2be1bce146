package org.sluice.rtp.layer;

import org.sluice.rtp.codec.av1.Av1DecodeTargetIndication;
import org.sluice.rtp.codec.av1.Av1DependencyDescriptor;
import org.sluice.rtp.codec.av1.Av1DependencyStructure;
import org.sluice.rtp.codec.av1.Av1DescriptorResult;

/**
 * One receiver stream's AV1 layer selection by decode target, from the dependency descriptor (AV1 RTP
 * specification, Appendix A): a frame is forwarded iff its decode target indication (DTI) for the current
 * decode target is not NOT_PRESENT.
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
    private int current = -1;
    private int frame = NO_FRAME;
    private int frameDecision;
    private int previousFrame = NO_FRAME;
    private int previousDecision;

    /** Selects decode target {@code decodeTarget} (clamped to 0..31, then to the structure's targets). */
    public void setTarget(int decodeTarget) {
        target = Math.max(0, Math.min(Av1DependencyStructure.MAX_DECODE_TARGETS - 1, decodeTarget));
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
        int frameNumber = dd.frameNumber();
        int decision;
        if (frameNumber == frame) {
            decision = frameDecision;
        } else if (frameNumber == previousFrame) {
            decision = previousDecision;
        } else if (frame != NO_FRAME && (short) (frameNumber - frame) < 0) {
            decision = frameDecision(dd);
        } else {
            int wanted = Math.min(target, targets - 1);
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
