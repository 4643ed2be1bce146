package org.sluice.rtp.frame;

import org.sluice.rtp.codec.av1.Av1DependencyDescriptor;
import org.sluice.rtp.codec.av1.Av1StreamStructure;

/**
 * Per-stream dependency descriptor state for {@link PacketTagger} (the descriptor is AV1's but carried by any
 * codec, e.g. Chrome's VP8 with temporal layers): the stream's
 * {@link Av1StreamStructure} (the template structure arrives only on key frames and is needed for
 * every later descriptor) and a descriptor view bound to it. The caller owns one per inbound video
 * stream; it may share the {@link Av1StreamStructure} with other readers of the same stream, since
 * re-reading an already installed structure changes nothing.
 */
public final class Av1StructureHolder {

    private final Av1DependencyDescriptor descriptor;

    /** A holder with its own fresh stream structure. */
    public Av1StructureHolder() {
        this(new Av1StreamStructure());
    }

    /** A holder over an existing stream structure. */
    public Av1StructureHolder(Av1StreamStructure structure) {
        this.descriptor = new Av1DependencyDescriptor(structure);
    }

    /** The stream's structure state. */
    public Av1StreamStructure structure() {
        return descriptor.stream();
    }

    /** Forgets the structure (e.g. on an SSRC change); descriptors then need the next key frame. */
    public void reset() {
        descriptor.stream().reset();
    }

    Av1DependencyDescriptor descriptor() {
        return descriptor;
    }
}
