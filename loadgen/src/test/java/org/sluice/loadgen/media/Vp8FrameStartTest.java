package org.sluice.loadgen.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class Vp8FrameStartTest {

    @Test
    void theSourcesFramesStartAsWhatTheyAre() {
        ByteBuf scratch = Unpooled.buffer(1200);
        Vp8Source source = new Vp8Source(new StreamIdentity(1234, 96, 0), 1_000_000, 30, 4, 1100, 7, scratch);
        List<Integer> starts = new ArrayList<>();
        PacketSink sink = packet -> starts.add(Vp8FrameStart.of(packet, 12, packet.writerIndex()));
        for (int frame = 0; frame < 4; frame++) {
            int before = starts.size();
            source.nextFrame(sink, 0);
            assertThat(starts.get(before)).as("frame %d's first packet", frame)
                    .isEqualTo(frame == 0 ? Vp8FrameStart.KEY_FRAME : Vp8FrameStart.INTER_FRAME);
            assertThat(starts.subList(before + 1, starts.size())).as("frame %d's other packets", frame)
                    .isNotEmpty().containsOnly(Vp8FrameStart.NOT_A_START);
        }
    }

    @Test
    void descriptorsOfEveryShapeAreReadAndShortOnesSayNothing() {
        // no extension: S, partition 0, then a key frame's tag
        assertThat(Vp8FrameStart.of(bytes(0x10, 0x10), 0, 2)).isEqualTo(Vp8FrameStart.KEY_FRAME);
        // X with I (7-bit PictureID), L and T: four descriptor bytes, then an inter frame's tag
        assertThat(Vp8FrameStart.of(bytes(0x90, 0xE0, 0x05, 0x11, 0x20, 0x11), 0, 6))
                .isEqualTo(Vp8FrameStart.INTER_FRAME);
        // X with a 15-bit PictureID and K
        assertThat(Vp8FrameStart.of(bytes(0x90, 0x90, 0x80, 0x01, 0x00, 0x10), 0, 6))
                .isEqualTo(Vp8FrameStart.KEY_FRAME);
        // partition 1, or no S: not a frame's start
        assertThat(Vp8FrameStart.of(bytes(0x11, 0x10), 0, 2)).isEqualTo(Vp8FrameStart.NOT_A_START);
        assertThat(Vp8FrameStart.of(bytes(0x00, 0x10), 0, 2)).isEqualTo(Vp8FrameStart.NOT_A_START);
        // cut short anywhere: nothing to say, no exception
        byte[] full = {(byte) 0x90, (byte) 0x90, (byte) 0x80, 0x01, 0x00};
        for (int end = 0; end <= full.length; end++) {
            assertThat(Vp8FrameStart.of(Unpooled.wrappedBuffer(full), 0, end)).as("%d bytes", end)
                    .isEqualTo(Vp8FrameStart.NOT_A_START);
        }
    }

    private static ByteBuf bytes(int... values) {
        ByteBuf buf = Unpooled.buffer(values.length);
        for (int v : values) {
            buf.writeByte(v);
        }
        return buf;
    }
}
