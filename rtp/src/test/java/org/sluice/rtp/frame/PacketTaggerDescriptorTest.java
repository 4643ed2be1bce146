package org.sluice.rtp.frame;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.codec.Codec;
import org.sluice.rtp.testing.ChromeVp8L1T3;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.rtp.codec.CodecTestBuffers.exact;
import static org.sluice.rtp.codec.CodecTestBuffers.hex;

/**
 * {@link PacketTagger#tagWithDescriptor}: layers from the dependency descriptor for codecs other than AV1, on
 * Chrome's VP8 L1T3 capture (whose VP8 payload descriptor names no temporal layer) and on constructed H.264 and
 * VP9 packets carrying the same descriptors.
 */
class PacketTaggerDescriptorTest {

    private final PacketTagger tagger = new PacketTagger();
    private final PacketTag tag = new PacketTag();

    private boolean tag(Codec codec, byte[] payload, boolean marker, byte[] dd, Av1StructureHolder holder) {
        ByteBuf buf = exact(payload, 12);
        ByteBuf ext = dd == null ? null : exact(dd, 5);
        try {
            return tagger.tagWithDescriptor(codec, buf, 12, payload.length, marker, ext, 5,
                    dd == null ? 0 : dd.length, holder, tag);
        } finally {
            buf.release();
            if (ext != null) {
                ext.release();
            }
        }
    }

    @Test
    void chromesVp8L1T3TemporalLayersComeFromTheDescriptor() {
        Av1StructureHolder holder = new Av1StructureHolder();
        List<String> frames = new ArrayList<>();
        for (ChromeVp8L1T3.Packet p : ChromeVp8L1T3.PACKETS) {
            assertThat(tag(Codec.VP8, p.payload(), p.marker(), p.dependencyDescriptor(), holder)).isTrue();
            assertThat(tag.codec).isEqualTo(Codec.VP8);
            assertThat(tag.pictureId).as("Chrome's descriptor has no picture id").isEqualTo(-1);
            int frameNumber = ((p.dependencyDescriptor()[1] & 0xFF) << 8) | (p.dependencyDescriptor()[2] & 0xFF);
            assertThat(tag.frameId).isEqualTo(frameNumber);
            assertThat(tag.frameIdBits).isEqualTo(16);
            assertThat(tag.frameBegin).isEqualTo((p.dependencyDescriptor()[0] & 0x80) != 0);
            assertThat(tag.frameEnd).isEqualTo((p.dependencyDescriptor()[0] & 0x40) != 0);
            if (tag.frameBegin) {
                StringBuilder refs = new StringBuilder();
                for (int k = 0; k < tag.referenceCount; k++) {
                    refs.append(k == 0 ? "" : ",").append(tag.reference(k));
                }
                frames.add(frameNumber + ":T" + tag.temporalId + (tag.keyframe ? "K" : "")
                        + (tag.switchPoint ? "S" : "") + "[" + refs + "]");
            }
        }
        assertThat(holder.structure().current()).isNotNull();
        assertThat(tagger.descriptorsUnresolved()).isZero();
        assertThat(frames.subList(0, 12)).containsExactly(
                "1:T0KS[]", "2:T2[1]", "3:T1S[2]", "4:T2[1]",
                "5:T0S[4]", "6:T2[3,1]", "7:T1[4,2]", "8:T2[1]",
                "9:T0S[4]", "10:T2[1]", "11:T1S[2]", "12:T2[1]");
        assertThat(frames).contains("31:T0KS[]");
        long t0 = frames.stream().filter(f -> f.contains(":T0")).count();
        long t1 = frames.stream().filter(f -> f.contains(":T1")).count();
        long t2 = frames.stream().filter(f -> f.contains(":T2")).count();
        assertThat(t0 + t1 + t2).isEqualTo(frames.size());
        assertThat(t2).as("half the frames are T2, %s", frames).isBetween(frames.size() / 2L - 2, frames.size() / 2L + 2);
        assertThat(t1).as("a quarter are T1").isBetween(frames.size() / 4L - 2, frames.size() / 4L + 2);
    }

    @Test
    void withoutTheDescriptorChromesVp8IsAllBaseLayer() {
        for (ChromeVp8L1T3.Packet p : ChromeVp8L1T3.PACKETS) {
            assertThat(tag(Codec.VP8, p.payload(), p.marker(), null, new Av1StructureHolder())).isTrue();
            assertThat(tag.temporalId).isZero();
            assertThat(tag.referencesKnown).isFalse();
        }
    }

    @Test
    void aDescriptorBeforeTheStructureLeavesThePayloadsTagAndIsCounted() {
        Av1StructureHolder holder = new Av1StructureHolder();
        ChromeVp8L1T3.Packet t2 = ChromeVp8L1T3.PACKETS.get(1);
        assertThat(tag(Codec.VP8, t2.payload(), true, t2.dependencyDescriptor(), holder)).isTrue();
        assertThat(tag.temporalId).isZero();
        assertThat(tag.frameId).isEqualTo(-1);
        assertThat(tagger.descriptorsUnresolved()).isEqualTo(1);

        assertThat(tag(Codec.VP8, t2.payload(), true, hex("ff"), holder)).isTrue(); // malformed: too short
        assertThat(tagger.descriptorsUnresolved()).isEqualTo(2);
    }

    @Test
    void h264AndVp9TakeTheirLayersFromTheDescriptorToo() {
        Av1StructureHolder holder = new Av1StructureHolder();
        byte[] key = ChromeVp8L1T3.PACKETS.get(0).dependencyDescriptor();
        assertThat(tag(Codec.H264, PacketTaggerTest.H264_STAP_A_KEY, true, key, holder)).isTrue();
        assertThat(tag.keyframe).isTrue();
        assertThat(tag.temporalId).isZero();
        assertThat(tag.frameId).isEqualTo(1);

        assertThat(tag(Codec.H264, PacketTaggerTest.H264_NON_IDR_FIRST_SLICE, true, hex("c50002"), holder)).isTrue();
        assertThat(tag.codec).isEqualTo(Codec.H264);
        assertThat(tag.keyframe).isFalse();
        assertThat(tag.temporalId).isEqualTo(2);
        assertThat(tag.frameId).isEqualTo(2);
        assertThat(tag.referencesKnown).isTrue();
        assertThat(tag.reference(0)).isEqualTo(1);

        // VP9 (flexible mode, picture id 17): layers from the descriptor, frame id and references from the payload.
        assertThat(tag(Codec.VP9, PacketTaggerTest.VP9_REF_IDX, false, hex("c30003"), holder)).isTrue();
        assertThat(tag.temporalId).isEqualTo(1);
        assertThat(tag.switchPoint).isTrue(); // "-SS": SWITCH for the T0-T1 decode target
        assertThat(tag.frameId).isEqualTo(17);
        assertThat(tag.referenceCount).isEqualTo(3);
        assertThat(tag.reference(0)).isEqualTo(17);
    }
}
