package org.sluice.rtp.codec.av1;

/**
 * Per-stream state of the AV1 dependency descriptor: the latest template dependency structure and
 * the active decode targets bitmask, which persist from packet to packet (AV1 RTP specification,
 * Appendix A: the structure is sent on key frames and needed to parse every later descriptor).
 *
 * <p>One instance per received stream, touched only by that stream's thread. A new
 * {@link Av1DependencyStructure} is allocated only when a descriptor attaches a structure whose
 * content differs from the current one (that is, on key frames); repeated structures are recognised
 * and not copied.
 */
public final class Av1StreamStructure {

    private final Av1DependencyStructure scratch = Av1DependencyStructure.scratch();
    private Av1DependencyStructure current;
    private long activeDecodeTargets;
    private int generation;

    /** The latest structure, or {@code null} before the first key frame's descriptor. */
    public Av1DependencyStructure current() {
        return current;
    }

    /**
     * The active decode targets bitmask (bit {@code i} set: decode target {@code i} active), all
     * ones after a new structure, updated by descriptors carrying {@code active_decode_targets_bitmask}.
     */
    public long activeDecodeTargets() {
        return activeDecodeTargets;
    }

    /** Incremented whenever a structure with new content is installed. */
    public int generation() {
        return generation;
    }

    /** Forgets the structure, e.g. when the stream's SSRC changes. */
    public void reset() {
        current = null;
        activeDecodeTargets = 0;
    }

    Av1DependencyStructure scratch() {
        return scratch;
    }

    /** Installs the scratch structure (copying only when its content is new). */
    void commitScratch() {
        if (!scratch.sameAs(current)) {
            current = scratch.compactCopy();
            generation++;
        }
    }

    void setActiveDecodeTargets(long mask) {
        activeDecodeTargets = mask;
    }
}
