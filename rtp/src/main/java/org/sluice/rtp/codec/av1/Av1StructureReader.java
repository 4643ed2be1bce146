package org.sluice.rtp.codec.av1;

/**
 * Reads {@code template_dependency_structure()} (AV1 RTP specification, Appendix A.8.3) into a
 * preallocated scratch structure. Returns a constant reason on failure, {@code null} on success.
 */
final class Av1StructureReader {

    static final String REASON_TOO_MANY_TEMPLATES = "AV1 dependency structure has more than 64 templates";
    static final String REASON_TOO_MANY_FDIFFS = "AV1 dependency template has more than 16 frame diffs";
    static final String REASON_TRUNCATED = "AV1 dependency structure truncated";

    private Av1StructureReader() {
    }

    static String read(Av1BitReader r, Av1DependencyStructure s) {
        s.templateIdOffset = r.readBits(6);
        s.decodeTargetCount = r.readBits(5) + 1;
        String reason = readTemplateLayers(r, s);
        if (reason != null) {
            return reason;
        }
        int dts = s.decodeTargetCount;
        int templates = s.templateCount;
        // template_dtis()
        for (int t = 0; t < templates; t++) {
            for (int dt = 0; dt < dts; dt++) {
                s.templateDti[t * dts + dt] = r.readBits(2);
            }
        }
        // template_fdiffs()
        for (int t = 0; t < templates; t++) {
            int count = 0;
            while (r.readFlag()) {
                if (count == Av1DependencyStructure.MAX_FRAME_DIFFS) {
                    return REASON_TOO_MANY_FDIFFS;
                }
                s.templateFdiff[t * Av1DependencyStructure.MAX_FRAME_DIFFS + count] = r.readBits(4) + 1;
                count++;
            }
            s.templateFdiffCount[t] = count;
        }
        // template_chains()
        s.chainCount = r.readNonSymmetric(dts + 1);
        if (s.chainCount > 0) {
            for (int dt = 0; dt < dts; dt++) {
                s.decodeTargetProtectedBy[dt] = r.readNonSymmetric(s.chainCount);
            }
            for (int t = 0; t < templates; t++) {
                for (int c = 0; c < s.chainCount; c++) {
                    s.templateChainFdiff[t * s.chainCount + c] = r.readBits(4);
                }
            }
        }
        // decode_target_layers()
        for (int dt = 0; dt < dts; dt++) {
            int spatialId = 0;
            int temporalId = 0;
            for (int t = 0; t < templates; t++) {
                if (s.templateDti[t * dts + dt] != Av1DecodeTargetIndication.NOT_PRESENT) {
                    spatialId = Math.max(spatialId, s.templateSpatialId[t]);
                    temporalId = Math.max(temporalId, s.templateTemporalId[t]);
                }
            }
            s.decodeTargetSpatialId[dt] = spatialId;
            s.decodeTargetMaxTemporalId[dt] = temporalId;
        }
        s.resolutionsPresent = r.readFlag();
        if (s.resolutionsPresent) {
            for (int sid = 0; sid <= s.maxSpatialId; sid++) {
                s.renderWidth[sid] = r.readBits(16) + 1;
                s.renderHeight[sid] = r.readBits(16) + 1;
            }
        }
        return r.overrun() ? REASON_TRUNCATED : null;
    }

    /** {@code template_layers()}: spatial and temporal ids of each template. */
    private static String readTemplateLayers(Av1BitReader r, Av1DependencyStructure s) {
        int temporalId = 0;
        int spatialId = 0;
        int count = 0;
        int maxTemporalId = 0;
        int nextLayerIdc;
        do {
            if (count == Av1DependencyStructure.MAX_TEMPLATES) {
                return REASON_TOO_MANY_TEMPLATES;
            }
            s.templateSpatialId[count] = spatialId;
            s.templateTemporalId[count] = temporalId;
            count++;
            nextLayerIdc = r.readBits(2);
            if (r.overrun()) {
                return REASON_TRUNCATED;
            }
            if (nextLayerIdc == 1) {
                temporalId++;
                maxTemporalId = Math.max(maxTemporalId, temporalId);
            } else if (nextLayerIdc == 2) {
                temporalId = 0;
                spatialId++;
            }
        } while (nextLayerIdc != 3);
        s.templateCount = count;
        s.maxTemporalId = maxTemporalId;
        s.maxSpatialId = spatialId;
        return null;
    }
}
