package org.sluice.rtp.codec.av1;

import java.util.Arrays;

/**
 * A template dependency structure of the AV1 dependency descriptor (AV1 RTP specification,
 * Appendix A.8.3 {@code template_dependency_structure()}): the templates (spatial id, temporal id,
 * decode target indications, frame diffs, chain diffs), decode targets with the chains protecting
 * them and their layers, and the optional per-spatial-layer render resolutions.
 *
 * <p>A structure arrives attached to a key frame's descriptor and describes every later packet of
 * the stream until the next one. Instances handed out by {@link Av1StreamStructure#current()} are
 * never modified after publication, so they may be shared with other threads. Getters take indices
 * in the ranges given by the counts; out-of-range indices throw.
 */
public final class Av1DependencyStructure {

    /** Templates are addressed by a 6-bit id. */
    public static final int MAX_TEMPLATES = 64;
    /** {@code dt_cnt_minus_one} is 5 bits. */
    public static final int MAX_DECODE_TARGETS = 32;
    /**
     * Frame diffs kept per template or custom frame. The syntax is unbounded; real encoders use at
     * most a handful, and Sluice rejects descriptors with more as hostile.
     */
    public static final int MAX_FRAME_DIFFS = 16;

    int templateIdOffset;
    int decodeTargetCount;
    int templateCount;
    int chainCount;
    int maxSpatialId;
    int maxTemporalId;
    boolean resolutionsPresent;
    int[] templateSpatialId;
    int[] templateTemporalId;
    /** [template * decodeTargetCount + dt]. */
    int[] templateDti;
    int[] templateFdiffCount;
    /** [template * MAX_FRAME_DIFFS + k]. */
    int[] templateFdiff;
    int[] decodeTargetProtectedBy;
    /** [template * chainCount + chain]. */
    int[] templateChainFdiff;
    int[] decodeTargetSpatialId;
    int[] decodeTargetMaxTemporalId;
    int[] renderWidth;
    int[] renderHeight;

    /** A scratch structure with room for the largest legal structure (package use). */
    static Av1DependencyStructure scratch() {
        Av1DependencyStructure s = new Av1DependencyStructure();
        s.templateSpatialId = new int[MAX_TEMPLATES];
        s.templateTemporalId = new int[MAX_TEMPLATES];
        s.templateDti = new int[MAX_TEMPLATES * MAX_DECODE_TARGETS];
        s.templateFdiffCount = new int[MAX_TEMPLATES];
        s.templateFdiff = new int[MAX_TEMPLATES * MAX_FRAME_DIFFS];
        s.decodeTargetProtectedBy = new int[MAX_DECODE_TARGETS];
        s.templateChainFdiff = new int[MAX_TEMPLATES * MAX_DECODE_TARGETS];
        s.decodeTargetSpatialId = new int[MAX_DECODE_TARGETS];
        s.decodeTargetMaxTemporalId = new int[MAX_DECODE_TARGETS];
        s.renderWidth = new int[MAX_TEMPLATES];
        s.renderHeight = new int[MAX_TEMPLATES];
        return s;
    }

    private Av1DependencyStructure() {
    }

    /** A compact copy holding exactly the used entries. */
    Av1DependencyStructure compactCopy() {
        Av1DependencyStructure c = new Av1DependencyStructure();
        c.templateIdOffset = templateIdOffset;
        c.decodeTargetCount = decodeTargetCount;
        c.templateCount = templateCount;
        c.chainCount = chainCount;
        c.maxSpatialId = maxSpatialId;
        c.maxTemporalId = maxTemporalId;
        c.resolutionsPresent = resolutionsPresent;
        c.templateSpatialId = Arrays.copyOf(templateSpatialId, templateCount);
        c.templateTemporalId = Arrays.copyOf(templateTemporalId, templateCount);
        c.templateDti = Arrays.copyOf(templateDti, templateCount * decodeTargetCount);
        c.templateFdiffCount = Arrays.copyOf(templateFdiffCount, templateCount);
        c.templateFdiff = Arrays.copyOf(templateFdiff, templateCount * MAX_FRAME_DIFFS);
        c.decodeTargetProtectedBy = Arrays.copyOf(decodeTargetProtectedBy, chainCount == 0 ? 0 : decodeTargetCount);
        c.templateChainFdiff = Arrays.copyOf(templateChainFdiff, templateCount * chainCount);
        c.decodeTargetSpatialId = Arrays.copyOf(decodeTargetSpatialId, decodeTargetCount);
        c.decodeTargetMaxTemporalId = Arrays.copyOf(decodeTargetMaxTemporalId, decodeTargetCount);
        int layers = resolutionsPresent ? maxSpatialId + 1 : 0;
        c.renderWidth = Arrays.copyOf(renderWidth, layers);
        c.renderHeight = Arrays.copyOf(renderHeight, layers);
        return c;
    }

    /** Same content as {@code other} (used entries only), so a repeated structure is not copied again. */
    boolean sameAs(Av1DependencyStructure other) {
        if (other == null || templateIdOffset != other.templateIdOffset
                || decodeTargetCount != other.decodeTargetCount || templateCount != other.templateCount
                || chainCount != other.chainCount || maxSpatialId != other.maxSpatialId
                || maxTemporalId != other.maxTemporalId || resolutionsPresent != other.resolutionsPresent) {
            return false;
        }
        int layers = resolutionsPresent ? maxSpatialId + 1 : 0;
        return rangeEquals(templateSpatialId, other.templateSpatialId, templateCount)
                && rangeEquals(templateTemporalId, other.templateTemporalId, templateCount)
                && rangeEquals(templateDti, other.templateDti, templateCount * decodeTargetCount)
                && rangeEquals(templateFdiffCount, other.templateFdiffCount, templateCount)
                && rangeEquals(templateFdiff, other.templateFdiff, templateCount * MAX_FRAME_DIFFS)
                && rangeEquals(decodeTargetProtectedBy, other.decodeTargetProtectedBy,
                        chainCount == 0 ? 0 : decodeTargetCount)
                && rangeEquals(templateChainFdiff, other.templateChainFdiff, templateCount * chainCount)
                && rangeEquals(renderWidth, other.renderWidth, layers)
                && rangeEquals(renderHeight, other.renderHeight, layers);
    }

    private static boolean rangeEquals(int[] a, int[] b, int n) {
        return Arrays.equals(a, 0, n, b, 0, n);
    }

    /** {@code template_id_offset}: the template id of template index 0. */
    public int templateIdOffset() {
        return templateIdOffset;
    }

    /** {@code DecodeTargetCnt} (1 to 32). */
    public int decodeTargetCount() {
        return decodeTargetCount;
    }

    /** {@code TemplateCnt} (1 to 64). */
    public int templateCount() {
        return templateCount;
    }

    /** {@code chain_cnt} (0 to DecodeTargetCnt). */
    public int chainCount() {
        return chainCount;
    }

    /** {@code MaxSpatialId}. */
    public int maxSpatialId() {
        return maxSpatialId;
    }

    /** {@code MaxTemporalId}. */
    public int maxTemporalId() {
        return maxTemporalId;
    }

    public int templateSpatialId(int templateIndex) {
        return templateSpatialId[checkTemplate(templateIndex)];
    }

    public int templateTemporalId(int templateIndex) {
        return templateTemporalId[checkTemplate(templateIndex)];
    }

    /** {@code template_dti}: one of {@link Av1DecodeTargetIndication}. */
    public int templateDti(int templateIndex, int decodeTarget) {
        return templateDti[checkTemplate(templateIndex) * decodeTargetCount + checkDecodeTarget(decodeTarget)];
    }

    public int templateFrameDiffCount(int templateIndex) {
        return templateFdiffCount[checkTemplate(templateIndex)];
    }

    /** {@code TemplateFdiff}: how many frames back the {@code k}-th reference is (1 to 16). */
    public int templateFrameDiff(int templateIndex, int k) {
        checkIndex(k, templateFrameDiffCount(templateIndex));
        return templateFdiff[templateIndex * MAX_FRAME_DIFFS + k];
    }

    /** {@code template_chain_fdiff} (0 to 15). */
    public int templateChainDiff(int templateIndex, int chain) {
        checkIndex(chain, chainCount);
        return templateChainFdiff[checkTemplate(templateIndex) * chainCount + chain];
    }

    /** {@code decode_target_protected_by}: the chain protecting a decode target (requires chains). */
    public int decodeTargetProtectedBy(int decodeTarget) {
        checkIndex(decodeTarget, chainCount == 0 ? 0 : decodeTargetCount);
        return decodeTargetProtectedBy[decodeTarget];
    }

    /** {@code DecodeTargetSpatialId}. */
    public int decodeTargetSpatialId(int decodeTarget) {
        return decodeTargetSpatialId[checkDecodeTarget(decodeTarget)];
    }

    /** {@code DecodeTargetMaxTemporalId}. */
    public int decodeTargetMaxTemporalId(int decodeTarget) {
        return decodeTargetMaxTemporalId[checkDecodeTarget(decodeTarget)];
    }

    /** {@code resolutions_present_flag}. */
    public boolean hasResolutions() {
        return resolutionsPresent;
    }

    /** {@code max_render_width_minus_1 + 1} of a spatial layer (requires resolutions). */
    public int renderWidth(int spatialId) {
        return renderWidth[checkSpatial(spatialId)];
    }

    /** {@code max_render_height_minus_1 + 1} of a spatial layer (requires resolutions). */
    public int renderHeight(int spatialId) {
        return renderHeight[checkSpatial(spatialId)];
    }

    private int checkTemplate(int templateIndex) {
        return checkIndex(templateIndex, templateCount);
    }

    private int checkDecodeTarget(int decodeTarget) {
        return checkIndex(decodeTarget, decodeTargetCount);
    }

    private int checkSpatial(int spatialId) {
        return checkIndex(spatialId, resolutionsPresent ? maxSpatialId + 1 : 0);
    }

    private static int checkIndex(int index, int count) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException(index);
        }
        return index;
    }
}
