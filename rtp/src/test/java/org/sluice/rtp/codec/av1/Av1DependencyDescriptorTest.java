package org.sluice.rtp.codec.av1;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.codec.CodecTestBuffers;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.rtp.codec.CodecTestBuffers.exact;
import static org.sluice.rtp.codec.CodecTestBuffers.hex;

class Av1DependencyDescriptorTest {

    /**
     * Dependency descriptors captured from Chrome sending AV1 L3T3 (published as "hex bytes from
     * traffic capture" in livekit/livekit, pkg/sfu/dependencydescriptor/dependencydescriptorextension_test.go).
     * The first attaches the template dependency structure on the key frame (frame 370).
     */
    static final byte[] CHROME_L3T3_KEY = hex("c1017280081485214eafffaaaa863cf0430c10c302afc0aaa0063c00430010c002a000a80006000040001d954926e082b04a0941b820ac1282503157f974000ca864330e222222eca8655304224230eca877530077004200ef008601df010d");
    static final String[] CHROME_L3T3_FOLLOWING = {
        "86017340fc", "46017340fc", "c3017540fc", "88017640fc", "48017640fc", "c2017840fc",
    };
    /** Later mandatory-only descriptors of the same capture (after the structure was sent again). */
    static final String[] CHROME_L3T3_MANDATORY_ONLY = {"860173", "460173", "8b0174", "0b0174", "c30175"};

    private final Av1DependencyDescriptor dd = new Av1DependencyDescriptor();

    private Av1DescriptorResult parse(Av1DependencyDescriptor view, byte[] bytes) {
        ByteBuf buf = exact(bytes, 4);
        try {
            return view.parse(buf, 4, bytes.length);
        } finally {
            buf.release();
        }
    }

    private static String templates(Av1DependencyStructure s) {
        StringBuilder sb = new StringBuilder();
        for (int t = 0; t < s.templateCount(); t++) {
            sb.append('S').append(s.templateSpatialId(t)).append('T').append(s.templateTemporalId(t)).append(' ');
            for (int d = 0; d < s.decodeTargetCount(); d++) {
                sb.append("-DSR".charAt(s.templateDti(t, d)));
            }
            sb.append(" f");
            for (int k = 0; k < s.templateFrameDiffCount(t); k++) {
                sb.append(k == 0 ? "" : ",").append(s.templateFrameDiff(t, k));
            }
            sb.append(" c");
            for (int c = 0; c < s.chainCount(); c++) {
                sb.append(c == 0 ? "" : ",").append(s.templateChainDiff(t, c));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    @Test
    void chromeKeyFrameAttachesAnL3T3Structure() {
        assertThat(parse(dd, CHROME_L3T3_KEY)).isEqualTo(Av1DescriptorResult.VALID);
        // Mandatory fields, by hand: c1 = 1|1|000001, frame_number 0x0172.
        assertThat(dd.isStartOfFrame()).isTrue();
        assertThat(dd.isEndOfFrame()).isTrue();
        assertThat(dd.templateId()).isEqualTo(1);
        assertThat(dd.frameNumber()).isEqualTo(370);
        // 0x80: structure present, no active mask, no custom fields; then offset 0, dt_cnt_minus_one 8.
        assertThat(dd.isStructureAttached()).isTrue();
        assertThat(dd.isActiveDecodeTargetsPresent()).isFalse();
        Av1DependencyStructure s = dd.structure();
        assertThat(s.templateIdOffset()).isZero();
        assertThat(s.decodeTargetCount()).isEqualTo(9);
        assertThat(s.templateCount()).isEqualTo(15);
        assertThat(s.chainCount()).isEqualTo(3);
        assertThat(s.maxSpatialId()).isEqualTo(2);
        assertThat(s.maxTemporalId()).isEqualTo(2);
        // libwebrtc's full-SVC L3T3 templates: frame diffs 12/6/3 within a layer, 1 to the layer below.
        assertThat(templates(s)).isEqualTo(
                "S0T0 SSSRRRRRR f12 c12,11,10\n"
                + "S0T0 SSSSSSSSS f c0,0,0\n"
                + "S0T1 -DS-RR-RR f6 c6,5,4\n"
                + "S0T2 --D--R--R f3 c3,2,1\n"
                + "S0T2 --D--R--R f3 c9,8,7\n"
                + "S1T0 ---SSSRRR f12,1 c1,1,1\n"
                + "S1T0 ---SSSSSS f1 c1,1,1\n"
                + "S1T1 ----DS-RR f6,1 c7,6,5\n"
                + "S1T2 -----D--R f3,1 c4,3,2\n"
                + "S1T2 -----D--R f3,1 c10,9,8\n"
                + "S2T0 ------SSS f12,1 c2,1,1\n"
                + "S2T0 ------SSS f1 c2,1,1\n"
                + "S2T1 -------DS f6,1 c8,7,6\n"
                + "S2T2 --------D f3,1 c5,4,3\n"
                + "S2T2 --------D f3,1 c11,10,9\n");
        for (int dt = 0; dt < 9; dt++) {
            assertThat(s.decodeTargetSpatialId(dt)).isEqualTo(dt / 3);
            assertThat(s.decodeTargetMaxTemporalId(dt)).isEqualTo(dt % 3);
            assertThat(s.decodeTargetProtectedBy(dt)).isEqualTo(dt / 3);
        }
        assertThat(s.hasResolutions()).isTrue();
        assertThat(s.renderWidth(0)).isEqualTo(120);
        assertThat(s.renderHeight(0)).isEqualTo(67);
        assertThat(s.renderWidth(1)).isEqualTo(240);
        assertThat(s.renderHeight(1)).isEqualTo(135);
        assertThat(s.renderWidth(2)).isEqualTo(480);
        assertThat(s.renderHeight(2)).isEqualTo(270);
        // The key frame itself: template 1, no references, all chains restart, every target active.
        assertThat(dd.templateIndex()).isEqualTo(1);
        assertThat(dd.spatialId()).isZero();
        assertThat(dd.temporalId()).isZero();
        assertThat(dd.frameDiffCount()).isZero();
        assertThat(dd.chainDiff(0)).isZero();
        assertThat(dd.decodeTargetIndication(8)).isEqualTo(Av1DecodeTargetIndication.SWITCH);
        assertThat(dd.activeDecodeTargets()).isEqualTo(0x1FF);
        assertThat(dd.frameMaxWidth()).isEqualTo(120);
        assertThat(dd.stream().current()).isSameAs(s);
        assertThat(dd.stream().generation()).isEqualTo(1);
    }

    @Test
    void laterPacketsResolveAgainstTheStructure() {
        assertThat(parse(dd, CHROME_L3T3_KEY)).isEqualTo(Av1DescriptorResult.VALID);
        // 86 01 73 40 fc: SOF, template 6, frame 371; 0x40 → active_decode_targets_present only;
        // the 9-bit mask is 000 + 111111 = 0x3F (spatial layers 0 and 1 active), then 2 padding bits.
        assertThat(parse(dd, hex(CHROME_L3T3_FOLLOWING[0]))).isEqualTo(Av1DescriptorResult.VALID);
        assertThat(dd.isStartOfFrame()).isTrue();
        assertThat(dd.isEndOfFrame()).isFalse();
        assertThat(dd.templateId()).isEqualTo(6);
        assertThat(dd.frameNumber()).isEqualTo(371);
        assertThat(dd.isStructureAttached()).isFalse();
        assertThat(dd.isActiveDecodeTargetsPresent()).isTrue();
        assertThat(dd.activeDecodeTargets()).isEqualTo(0x3F);
        assertThat(dd.spatialId()).isEqualTo(1);
        assertThat(dd.temporalId()).isZero();
        assertThat(dd.frameDiffCount()).isEqualTo(1);
        assertThat(dd.frameDiff(0)).isEqualTo(1);
        assertThat(dd.referencedFrameNumber(0)).isEqualTo(370);
        assertThat(dd.chainDiff(0)).isEqualTo(1);
        assertThat(dd.frameMaxWidth()).isEqualTo(240);
        assertThat(dd.frameMaxHeight()).isEqualTo(135);
        assertThat(dd.stream().activeDecodeTargets()).isEqualTo(0x3F);

        int[][] expected = { // sof, eof, template, frame, spatial, temporal, first fdiff
            {0, 1, 6, 371, 1, 0, 1},
            {1, 1, 3, 373, 0, 2, 3},
            {1, 0, 8, 374, 1, 2, 3},
            {0, 1, 8, 374, 1, 2, 3},
            {1, 1, 2, 376, 0, 1, 6},
        };
        for (int i = 0; i < expected.length; i++) {
            assertThat(parse(dd, hex(CHROME_L3T3_FOLLOWING[i + 1]))).isEqualTo(Av1DescriptorResult.VALID);
            int[] e = expected[i];
            assertThat(dd.isStartOfFrame()).isEqualTo(e[0] == 1);
            assertThat(dd.isEndOfFrame()).isEqualTo(e[1] == 1);
            assertThat(dd.templateId()).isEqualTo(e[2]);
            assertThat(dd.frameNumber()).isEqualTo(e[3]);
            assertThat(dd.spatialId()).isEqualTo(e[4]);
            assertThat(dd.temporalId()).isEqualTo(e[5]);
            assertThat(dd.frameDiff(0)).isEqualTo(e[6]);
        }
        // Three-byte descriptors: everything from the structure, active targets from the stream.
        assertThat(parse(dd, hex("8b0174"))).isEqualTo(Av1DescriptorResult.VALID);
        assertThat(dd.spatialId()).isEqualTo(2);
        assertThat(dd.temporalId()).isZero();
        assertThat(dd.frameDiffCount()).isEqualTo(1);
        assertThat(dd.isActiveDecodeTargetsPresent()).isFalse();
        assertThat(dd.activeDecodeTargets()).isEqualTo(0x3F);
        assertThat(dd.frameMaxWidth()).isEqualTo(480);
        assertThat(dd.decodeTargetIndication(6)).isEqualTo(Av1DecodeTargetIndication.SWITCH);
        assertThat(dd.isSwitchPoint(6)).isTrue();
        assertThat(dd.isSwitchPoint(5)).isFalse();
        assertThat(dd.isDecodeTargetActive(5)).isTrue();
        assertThat(dd.isDecodeTargetActive(6)).isFalse();
    }

    @Test
    void withoutAStructureTheResultIsDistinct() {
        for (String hex : CHROME_L3T3_MANDATORY_ONLY) {
            assertThat(parse(dd, hex(hex))).isEqualTo(Av1DescriptorResult.NO_STRUCTURE);
            ByteBuf buf = exact(hex(hex), 0);
            try {
                assertThat(dd.wrap(buf, 0, 3)).isFalse();
            } finally {
                buf.release();
            }
            assertThat(dd.invalidReason()).isEqualTo(Av1DependencyDescriptor.REASON_NO_STRUCTURE);
        }
        assertThat(parse(dd, hex("86017340fc"))).isEqualTo(Av1DescriptorResult.NO_STRUCTURE);
        // The mandatory fields are still there to read.
        assertThat(dd.templateId()).isEqualTo(6);
        assertThat(dd.frameNumber()).isEqualTo(371);
        assertThat(dd.isStartOfFrame()).isTrue();
        assertThat(dd.spatialId()).isEqualTo(-1);
        assertThat(dd.structure()).isNull();

        assertThat(parse(dd, CHROME_L3T3_KEY)).isEqualTo(Av1DescriptorResult.VALID);
        assertThat(parse(dd, hex("860173"))).isEqualTo(Av1DescriptorResult.VALID);
        dd.stream().reset();
        assertThat(parse(dd, hex("860173"))).isEqualTo(Av1DescriptorResult.NO_STRUCTURE);
    }

    @Test
    void aRepeatedStructureIsNotCopiedAgainAndACorruptOneIsNotInstalled() {
        assertThat(parse(dd, CHROME_L3T3_KEY)).isEqualTo(Av1DescriptorResult.VALID);
        Av1DependencyStructure first = dd.stream().current();
        assertThat(parse(dd, CHROME_L3T3_KEY)).isEqualTo(Av1DescriptorResult.VALID);
        assertThat(dd.stream().current()).isSameAs(first);
        assertThat(dd.stream().generation()).isEqualTo(1);

        // Cut inside the structure: malformed, and the good structure stays.
        byte[] cut = java.util.Arrays.copyOf(CHROME_L3T3_KEY, 20);
        assertThat(parse(dd, cut)).isEqualTo(Av1DescriptorResult.MALFORMED);
        assertThat(dd.invalidReason()).isNotNull();
        assertThat(dd.stream().current()).isSameAs(first);

        // A different structure (L1T3, below) replaces it.
        assertThat(parse(dd, l1t3KeyFrame())).isEqualTo(Av1DescriptorResult.VALID);
        assertThat(dd.stream().current()).isNotSameAs(first);
        assertThat(dd.stream().current().decodeTargetCount()).isEqualTo(3);
        assertThat(dd.stream().generation()).isEqualTo(2);
    }

    /**
     * An L1T3 key frame written field by field from the Appendix A syntax: template_id_offset 10,
     * three decode targets, templates S0T0 (key), S0T0, S0T1, S0T2, S0T2 (libwebrtc's L1T3
     * layout), one chain protecting every target, resolution 1280x720.
     */
    static byte[] l1t3KeyFrame() {
        BitWriter w = new BitWriter();
        w.flag(true).flag(true).f(10, 6).f(1000, 16);                         // mandatory, template 10
        w.flag(true).flag(false).flag(false).flag(false).flag(false);         // structure only
        w.f(10, 6).f(2, 5);                                                   // offset 10, 3 DTs
        for (int idc : new int[] {0, 1, 1, 0, 3}) {                           // template_layers
            w.f(idc, 2);
        }
        int[][] dtis = {{2, 2, 2}, {2, 2, 2}, {0, 1, 2}, {0, 0, 1}, {0, 0, 1}}; // SSS SSS -DS --D --D
        for (int[] row : dtis) {
            for (int dti : row) {
                w.f(dti, 2);
            }
        }
        int[][] fdiffs = {{}, {4}, {2}, {1}, {1}};
        for (int[] row : fdiffs) {
            for (int fdiff : row) {
                w.flag(true).f(fdiff - 1, 4);
            }
            w.flag(false);
        }
        w.ns(1, 4);                                                           // chain_cnt = 1
        for (int dt = 0; dt < 3; dt++) {
            w.ns(0, 1);                                                       // protected by chain 0
        }
        for (int chain : new int[] {0, 4, 2, 1, 3}) {
            w.f(chain, 4);
        }
        w.flag(true).f(1279, 16).f(719, 16);                                  // resolutions
        return w.toBytes();                                                   // no custom fields
    }

    @Test
    void specBuiltL1T3StructureAndCustomFields() {
        assertThat(parse(dd, l1t3KeyFrame())).as(String.valueOf(dd.invalidReason()))
                .isEqualTo(Av1DescriptorResult.VALID);
        Av1DependencyStructure s = dd.structure();
        assertThat(s.templateIdOffset()).isEqualTo(10);
        assertThat(templates(s)).isEqualTo(
                "S0T0 SSS f c0\nS0T0 SSS f4 c4\nS0T1 -DS f2 c2\nS0T2 --D f1 c1\nS0T2 --D f1 c3\n");
        assertThat(s.decodeTargetMaxTemporalId(0)).isZero();
        assertThat(s.decodeTargetMaxTemporalId(1)).isEqualTo(1);
        assertThat(s.decodeTargetMaxTemporalId(2)).isEqualTo(2);
        assertThat(dd.templateIndex()).isZero();
        assertThat(dd.frameMaxWidth()).isEqualTo(1280);
        assertThat(dd.frameMaxHeight()).isEqualTo(720);
        assertThat(dd.activeDecodeTargets()).isEqualTo(0b111);

        // Template id 12 → index (12 + 64 - 10) % 64 = 2: S0T1.
        BitWriter plain = new BitWriter().flag(true).flag(true).f(12, 6).f(1002, 16);
        assertThat(parse(dd, plain.toBytes())).isEqualTo(Av1DescriptorResult.VALID);
        assertThat(dd.temporalId()).isEqualTo(1);
        assertThat(dd.referencedFrameNumber(0)).isEqualTo(1000);

        // Custom DTIs, frame diffs (4-, 8- and 12-bit sizes) and chains, plus an active mask.
        BitWriter custom = new BitWriter().flag(true).flag(false).f(13, 6).f(0xFFFF, 16);
        custom.flag(false).flag(true).flag(true).flag(true).flag(true);
        custom.f(0b011, 3);                                                   // active: DT0, DT1
        custom.f(3, 2).f(1, 2).f(0, 2);                                       // DTIs R D -
        custom.f(1, 2).f(5 - 1, 4).f(2, 2).f(200 - 1, 8).f(3, 2).f(4096 - 1, 12).f(0, 2); // fdiffs
        custom.f(77, 8);                                                      // chain diff
        assertThat(parse(dd, custom.toBytes())).as(String.valueOf(dd.invalidReason()))
                .isEqualTo(Av1DescriptorResult.VALID);
        assertThat(dd.temporalId()).isEqualTo(2);
        assertThat(dd.hasCustomDtis()).isTrue();
        assertThat(dd.decodeTargetIndication(0)).isEqualTo(Av1DecodeTargetIndication.REQUIRED);
        assertThat(dd.decodeTargetIndication(1)).isEqualTo(Av1DecodeTargetIndication.DISCARDABLE);
        assertThat(dd.decodeTargetIndication(2)).isEqualTo(Av1DecodeTargetIndication.NOT_PRESENT);
        assertThat(dd.frameDiffCount()).isEqualTo(3);
        assertThat(dd.frameDiff(0)).isEqualTo(5);
        assertThat(dd.frameDiff(1)).isEqualTo(200);
        assertThat(dd.frameDiff(2)).isEqualTo(4096);
        assertThat(dd.referencedFrameNumber(2)).isEqualTo(0xFFFF - 4096);
        assertThat(dd.chainDiff(0)).isEqualTo(77);
        assertThat(dd.activeDecodeTargets()).isEqualTo(0b011);
        assertThat(dd.stream().activeDecodeTargets()).isEqualTo(0b011);

        // Template id 15 → index 5, beyond the 5 templates: malformed.
        BitWriter unknown = new BitWriter().flag(true).flag(true).f(15, 6).f(1, 16);
        assertThat(parse(dd, unknown.toBytes())).isEqualTo(Av1DescriptorResult.MALFORMED);
        assertThat(dd.invalidReason()).isEqualTo(Av1DependencyDescriptor.REASON_UNKNOWN_TEMPLATE);
        // Custom chains promised but cut off.
        BitWriter truncated = new BitWriter().flag(true).flag(true).f(10, 6).f(1, 16);
        truncated.flag(false).flag(false).flag(false).flag(false).flag(true).f(0, 3);
        assertThat(parse(dd, truncated.toBytes())).isEqualTo(Av1DescriptorResult.MALFORMED);
        assertThat(dd.invalidReason()).isEqualTo(Av1DependencyDescriptor.REASON_TRUNCATED);
    }

    @Test
    void rejectsShortAndOutOfBoundsRegions() {
        assertThat(parse(dd, hex("c101"))).isEqualTo(Av1DescriptorResult.MALFORMED);
        assertThat(dd.invalidReason()).isEqualTo(Av1DependencyDescriptor.REASON_TOO_SHORT);
        ByteBuf buf = exact(hex("c10172"), 0);
        try {
            assertThat(dd.parse(buf, 1, 3)).isEqualTo(Av1DescriptorResult.MALFORMED);
            assertThat(dd.invalidReason()).isEqualTo(Av1DependencyDescriptor.REASON_BOUNDS);
        } finally {
            buf.release();
        }
    }

    @Test
    void fuzzNeverThrowsAndResultsAreConsistent() {
        byte[][] seeds = new byte[2 + CHROME_L3T3_FOLLOWING.length + CHROME_L3T3_MANDATORY_ONLY.length][];
        int n = 0;
        seeds[n++] = CHROME_L3T3_KEY;
        seeds[n++] = l1t3KeyFrame();
        for (String hex : CHROME_L3T3_FOLLOWING) {
            seeds[n++] = hex(hex);
        }
        for (String hex : CHROME_L3T3_MANDATORY_ONLY) {
            seeds[n++] = hex(hex);
        }
        AtomicInteger valid = new AtomicInteger();
        AtomicInteger noStructure = new AtomicInteger();
        Av1DependencyDescriptor primed = new Av1DependencyDescriptor();
        Av1DependencyDescriptor fresh = new Av1DependencyDescriptor();
        AtomicInteger count = new AtomicInteger();
        CodecTestBuffers.fuzz(0x5EED_00A1L, 200_000, seeds, (buf, offset, length) -> {
            if (count.getAndIncrement() % 1000 == 0) {
                ByteBuf key = exact(CHROME_L3T3_KEY, 0);
                primed.parse(key, 0, CHROME_L3T3_KEY.length);
                key.release();
                fresh.stream().reset();
            }
            for (Av1DependencyDescriptor view : new Av1DependencyDescriptor[] {primed, fresh}) {
                Av1DescriptorResult result = view.parse(buf, offset, length);
                assertThat(view.wrap(buf, offset, length)).isEqualTo(result == Av1DescriptorResult.VALID);
                if (result == Av1DescriptorResult.NO_STRUCTURE) {
                    noStructure.incrementAndGet();
                    assertThat(view.stream().current()).isNull();
                    continue;
                }
                if (result == Av1DescriptorResult.MALFORMED) {
                    assertThat(view.invalidReason()).isNotNull();
                    continue;
                }
                valid.incrementAndGet();
                Av1DependencyStructure s = view.structure();
                assertThat(s).isSameAs(view.stream().current());
                assertThat(view.spatialId()).isBetween(0, s.maxSpatialId());
                assertThat(view.temporalId()).isBetween(0, s.maxTemporalId());
                for (int dt = 0; dt < s.decodeTargetCount(); dt++) {
                    assertThat(view.decodeTargetIndication(dt)).isBetween(0, 3);
                    s.decodeTargetSpatialId(dt);
                }
                for (int k = 0; k < view.frameDiffCount(); k++) {
                    assertThat(view.frameDiff(k)).isBetween(1, 4096);
                }
                for (int c = 0; c < view.chainCount(); c++) {
                    assertThat(view.chainDiff(c)).isBetween(0, 255);
                }
                assertThat(Long.numberOfLeadingZeros(view.activeDecodeTargets()))
                        .isGreaterThanOrEqualTo(64 - s.decodeTargetCount());
                view.frameMaxWidth();
            }
        });
        assertThat(valid.get()).isGreaterThan(50_000);
        assertThat(noStructure.get()).isGreaterThan(1_000);
    }
}
