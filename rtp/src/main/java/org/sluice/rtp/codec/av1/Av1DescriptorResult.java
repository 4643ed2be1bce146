package org.sluice.rtp.codec.av1;

/** Outcome of parsing one dependency descriptor. */
public enum Av1DescriptorResult {
    /** Parsed, and the frame's dependencies are resolved. */
    VALID,
    /**
     * The mandatory fields were read, but no template dependency structure is known for the stream
     * yet (nothing received since the start or the last {@link Av1StreamStructure#reset()}): the
     * receiver should ask for a key frame. Only the mandatory fields are meaningful.
     */
    NO_STRUCTURE,
    /** Malformed or beyond Sluice's limits; see the view's {@code invalidReason()}. */
    MALFORMED
}
