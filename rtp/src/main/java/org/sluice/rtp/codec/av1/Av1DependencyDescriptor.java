package org.sluice.rtp.codec.av1;

import io.netty.buffer.ByteBuf;
import org.sluice.rtp.codec.PayloadBounds;

/**
 * A reusable view over one AV1 dependency descriptor RTP header extension element (AV1 RTP
 * specification, "Dependency Descriptor RTP Header Extension", Appendix A): given the extension
 * element's bytes, it reads the mandatory fields, the extended fields (an attached template
 * dependency structure, the active decode targets bitmask, custom DTIs / frame diffs / chain diffs)
 * and resolves the frame's dependencies from the stream's structure.
 *
 * <p>The view belongs to one stream: it keeps that stream's {@link Av1StreamStructure}. A packet
 * that attaches a structure installs it only when the whole descriptor parsed, so a corrupt packet
 * cannot destroy a good structure. Nothing is allocated per packet except a new structure.
 */
public final class Av1DependencyDescriptor {

    public static final String REASON_BOUNDS = "extension region outside the buffer";
    public static final String REASON_TOO_SHORT = "AV1 dependency descriptor shorter than 3 bytes";
    public static final String REASON_NO_STRUCTURE = "no AV1 dependency structure known for the stream";
    public static final String REASON_UNKNOWN_TEMPLATE = "AV1 frame template id not in the structure";
    public static final String REASON_TOO_MANY_FDIFFS = "AV1 frame has more than 16 frame diffs";
    public static final String REASON_TRUNCATED = "AV1 dependency descriptor truncated";

    private static final int MANDATORY_BYTES = 3;

    private final Av1StreamStructure stream;
    private final Av1BitReader reader = new Av1BitReader();
    private final int[] frameDti = new int[Av1DependencyStructure.MAX_DECODE_TARGETS];
    private final int[] frameFdiff = new int[Av1DependencyStructure.MAX_FRAME_DIFFS];
    private final int[] frameChainDiff = new int[Av1DependencyStructure.MAX_DECODE_TARGETS];

    private Av1DescriptorResult result = Av1DescriptorResult.MALFORMED;
    private String invalidReason = REASON_TOO_SHORT;
    private boolean startOfFrame;
    private boolean endOfFrame;
    private int templateId;
    private int frameNumber;
    private boolean structureAttached;
    private boolean activeDecodeTargetsPresent;
    private boolean customDtis;
    private boolean customFrameDiffs;
    private boolean customChains;
    private Av1DependencyStructure structure;
    private int templateIndex;
    private int spatialId;
    private int temporalId;
    private int frameDiffCount;
    private long activeDecodeTargets;

    /** A view with its own fresh stream state. */
    public Av1DependencyDescriptor() {
        this(new Av1StreamStructure());
    }

    /** A view over the given stream state (one per received stream). */
    public Av1DependencyDescriptor(Av1StreamStructure stream) {
        this.stream = stream;
    }

    /** The stream state this view reads from and updates. */
    public Av1StreamStructure stream() {
        return stream;
    }

    /**
     * Points this view at one descriptor ({@code length} bytes of extension data from absolute
     * {@code offset}) and parses it.
     *
     * @return {@code true} only when {@link #result()} is {@link Av1DescriptorResult#VALID}
     */
    public boolean wrap(ByteBuf buf, int offset, int length) {
        return parse(buf, offset, length) == Av1DescriptorResult.VALID;
    }

    /** Like {@link #wrap} but returns the three-way result. */
    public Av1DescriptorResult parse(ByteBuf buf, int offset, int length) {
        reset();
        if (!PayloadBounds.fits(buf, offset, length)) {
            return fail(Av1DescriptorResult.MALFORMED, REASON_BOUNDS);
        }
        if (length < MANDATORY_BYTES) {
            return fail(Av1DescriptorResult.MALFORMED, REASON_TOO_SHORT);
        }
        Av1BitReader r = reader;
        r.wrap(buf, offset, length);
        // mandatory_descriptor_fields()
        startOfFrame = r.readFlag();
        endOfFrame = r.readFlag();
        templateId = r.readBits(6);
        frameNumber = r.readBits(16);

        Av1DependencyStructure s = stream.current();
        long active = stream.activeDecodeTargets();
        if (length > MANDATORY_BYTES) {
            // extended_descriptor_fields()
            structureAttached = r.readFlag();
            activeDecodeTargetsPresent = r.readFlag();
            customDtis = r.readFlag();
            customFrameDiffs = r.readFlag();
            customChains = r.readFlag();
            if (structureAttached) {
                Av1DependencyStructure scratch = stream.scratch();
                String reason = Av1StructureReader.read(r, scratch);
                if (reason != null) {
                    return fail(Av1DescriptorResult.MALFORMED, reason);
                }
                s = scratch;
                active = allOnes(s.decodeTargetCount);
            }
            if (s == null) {
                return fail(Av1DescriptorResult.NO_STRUCTURE, REASON_NO_STRUCTURE);
            }
            if (activeDecodeTargetsPresent) {
                active = r.readBitsLong(s.decodeTargetCount);
            }
        } else if (s == null) {
            return fail(Av1DescriptorResult.NO_STRUCTURE, REASON_NO_STRUCTURE);
        }

        // frame_dependency_definition()
        int index = (templateId + 64 - s.templateIdOffset) % 64;
        if (index >= s.templateCount) {
            return fail(Av1DescriptorResult.MALFORMED, REASON_UNKNOWN_TEMPLATE);
        }
        int dts = s.decodeTargetCount;
        if (customDtis) {
            for (int dt = 0; dt < dts; dt++) {
                frameDti[dt] = r.readBits(2);
            }
        } else {
            System.arraycopy(s.templateDti, index * dts, frameDti, 0, dts);
        }
        if (customFrameDiffs) {
            int count = 0;
            int size = r.readBits(2);
            while (size != 0) {
                if (count == Av1DependencyStructure.MAX_FRAME_DIFFS) {
                    return fail(Av1DescriptorResult.MALFORMED, REASON_TOO_MANY_FDIFFS);
                }
                frameFdiff[count++] = r.readBits(4 * size) + 1;
                size = r.readBits(2);
            }
            frameDiffCount = count;
        } else {
            frameDiffCount = s.templateFdiffCount[index];
            System.arraycopy(s.templateFdiff, index * Av1DependencyStructure.MAX_FRAME_DIFFS,
                    frameFdiff, 0, frameDiffCount);
        }
        if (customChains) {
            for (int c = 0; c < s.chainCount; c++) {
                frameChainDiff[c] = r.readBits(8);
            }
        } else {
            System.arraycopy(s.templateChainFdiff, index * s.chainCount, frameChainDiff, 0, s.chainCount);
        }
        if (r.overrun()) {
            return fail(Av1DescriptorResult.MALFORMED, REASON_TRUNCATED);
        }
        // The rest is zero_padding; trailing bits are ignored.

        if (structureAttached) {
            stream.commitScratch();
            s = stream.current();
        }
        if (structureAttached || activeDecodeTargetsPresent) {
            stream.setActiveDecodeTargets(active);
        }
        structure = s;
        templateIndex = index;
        spatialId = s.templateSpatialId[index];
        temporalId = s.templateTemporalId[index];
        activeDecodeTargets = active;
        result = Av1DescriptorResult.VALID;
        invalidReason = null;
        return result;
    }

    private static long allOnes(int bits) {
        return (1L << bits) - 1;
    }

    private void reset() {
        result = Av1DescriptorResult.MALFORMED;
        startOfFrame = false;
        endOfFrame = false;
        templateId = -1;
        frameNumber = -1;
        structureAttached = false;
        activeDecodeTargetsPresent = false;
        customDtis = false;
        customFrameDiffs = false;
        customChains = false;
        structure = null;
        templateIndex = -1;
        spatialId = -1;
        temporalId = -1;
        frameDiffCount = 0;
        activeDecodeTargets = 0;
    }

    private Av1DescriptorResult fail(Av1DescriptorResult failure, String reason) {
        boolean keepMandatory = failure == Av1DescriptorResult.NO_STRUCTURE;
        boolean sof = startOfFrame;
        boolean eof = endOfFrame;
        int tid = templateId;
        int frame = frameNumber;
        reset();
        if (keepMandatory) {
            startOfFrame = sof;
            endOfFrame = eof;
            templateId = tid;
            frameNumber = frame;
        }
        result = failure;
        invalidReason = reason;
        return failure;
    }

    /** VALID, NO_STRUCTURE or MALFORMED. */
    public Av1DescriptorResult result() {
        return result;
    }

    /** Why the last parse was not VALID (a constant), or {@code null}. */
    public String invalidReason() {
        return invalidReason;
    }

    /** {@code start_of_frame} (also set for NO_STRUCTURE). */
    public boolean isStartOfFrame() {
        return startOfFrame;
    }

    /** {@code end_of_frame} (also set for NO_STRUCTURE). */
    public boolean isEndOfFrame() {
        return endOfFrame;
    }

    /** {@code frame_dependency_template_id} (also set for NO_STRUCTURE), -1 when malformed. */
    public int templateId() {
        return templateId;
    }

    /** {@code frame_number}, 16 bits (also set for NO_STRUCTURE), -1 when malformed. */
    public int frameNumber() {
        return frameNumber;
    }

    /** This descriptor carried a template dependency structure (a key frame). */
    public boolean isStructureAttached() {
        return structureAttached;
    }

    /** The structure this packet was resolved with, or {@code null} when not VALID. */
    public Av1DependencyStructure structure() {
        return structure;
    }

    /** Index of the frame's template in the structure, or -1. */
    public int templateIndex() {
        return templateIndex;
    }

    /** {@code FrameSpatialId}, or -1. */
    public int spatialId() {
        return spatialId;
    }

    /** {@code FrameTemporalId}, or -1. */
    public int temporalId() {
        return temporalId;
    }

    /** The frame's decode target indication for {@code decodeTarget} ({@link Av1DecodeTargetIndication}). */
    public int decodeTargetIndication(int decodeTarget) {
        checkIndex(decodeTarget, structure == null ? 0 : structure.decodeTargetCount);
        return frameDti[decodeTarget];
    }

    /**
     * Whether a receiver of {@code decodeTarget} may start decoding at this frame: its indication for
     * the target is SWITCH (Appendix A, Table A.1). Layer switches wait for such a frame.
     */
    public boolean isSwitchPoint(int decodeTarget) {
        return decodeTargetIndication(decodeTarget) == Av1DecodeTargetIndication.SWITCH;
    }

    /** Whether {@code decodeTarget} is in this packet's active decode targets. */
    public boolean isDecodeTargetActive(int decodeTarget) {
        checkIndex(decodeTarget, structure == null ? 0 : structure.decodeTargetCount);
        return (activeDecodeTargets & (1L << decodeTarget)) != 0;
    }

    /** Number of frames this frame references. */
    public int frameDiffCount() {
        return frameDiffCount;
    }

    /** The {@code k}-th reference as a distance in frame numbers (1 to 4096). */
    public int frameDiff(int k) {
        checkIndex(k, frameDiffCount);
        return frameFdiff[k];
    }

    /** The frame number of the {@code k}-th reference, modulo 2^16. */
    public int referencedFrameNumber(int k) {
        return (frameNumber - frameDiff(k)) & 0xffff;
    }

    /** Number of chains in the structure (0 when not VALID). */
    public int chainCount() {
        return structure == null ? 0 : structure.chainCount;
    }

    /** {@code FrameChains}: distance to the previous frame in chain {@code chain} (0 to 255). */
    public int chainDiff(int chain) {
        checkIndex(chain, chainCount());
        return frameChainDiff[chain];
    }

    /** {@code active_decode_targets_present_flag} of this descriptor. */
    public boolean isActiveDecodeTargetsPresent() {
        return activeDecodeTargetsPresent;
    }

    /** The active decode targets for this packet: this descriptor's, or the stream's latest. */
    public long activeDecodeTargets() {
        return activeDecodeTargets;
    }

    public boolean hasCustomDtis() {
        return customDtis;
    }

    public boolean hasCustomFrameDiffs() {
        return customFrameDiffs;
    }

    public boolean hasCustomChains() {
        return customChains;
    }

    /** {@code FrameMaxWidth} when the structure has resolutions, else -1. */
    public int frameMaxWidth() {
        return structure != null && structure.resolutionsPresent ? structure.renderWidth[spatialId] : -1;
    }

    /** {@code FrameMaxHeight} when the structure has resolutions, else -1. */
    public int frameMaxHeight() {
        return structure != null && structure.resolutionsPresent ? structure.renderHeight[spatialId] : -1;
    }

    private static void checkIndex(int index, int count) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException(index);
        }
    }
}
