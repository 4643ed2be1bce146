package org.sluice.loadgen.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.codec.Codec;
import org.sluice.rtp.codec.KeyframeDetector;
import org.sluice.rtp.codec.vp8.Vp8PayloadDescriptor;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class Vp8SourceTest {

    private final ByteBuf scratch = Unpooled.buffer(2048);
    private final List<byte[]> sent = new ArrayList<>();

    private void capture(ByteBuf packet) {
        byte[] copy = new byte[packet.readableBytes()];
        packet.getBytes(packet.readerIndex(), copy);
        sent.add(copy);
    }

    @Test
    void framesAreValidVp8WithKeyFramesOnScheduleAndOnRequest() {
        Vp8Source source = new Vp8Source(new StreamIdentity(0x1234L, 96, 0), 1_000_000, 30, 60, 1100, 65530, scratch);
        int firstFrame = source.nextFrame(this::capture, 1);
        List<byte[]> keyFrame = new ArrayList<>(sent);
        sent.clear();
        source.nextFrame(this::capture, 2);
        List<byte[]> interFrame = new ArrayList<>(sent);
        sent.clear();
        source.requestKeyFrame();
        source.nextFrame(this::capture, 3);

        assertThat(firstFrame).isGreaterThan(interFrame.size());
        assertThat(isKeyFrame(keyFrame.get(0))).isTrue();
        assertThat(isKeyFrame(interFrame.get(0))).isFalse();
        assertThat(isKeyFrame(sent.get(0))).as("the frame after a request").isTrue();
        assertThat(source.keyFrames()).isEqualTo(2);

        RtpPacket rtp = new RtpPacket();
        Vp8PayloadDescriptor descriptor = new Vp8PayloadDescriptor();
        PayloadStamp stamp = new PayloadStamp();
        int expectedSequence = 65530;
        for (int i = 0; i < keyFrame.size(); i++) {
            ByteBuf packet = Unpooled.wrappedBuffer(keyFrame.get(i));
            assertThat(rtp.wrap(packet)).isTrue();
            assertThat(rtp.sequenceNumber()).isEqualTo(expectedSequence++ & 0xFFFF);
            assertThat(rtp.marker()).isEqualTo(i == keyFrame.size() - 1);
            assertThat(rtp.ssrc()).isEqualTo(0x1234L);
            assertThat(descriptor.wrap(packet, rtp.payloadOffset(), rtp.payloadLength())).isTrue();
            int end = rtp.payloadOffset() + rtp.payloadLength();
            assertThat(stamp.check(packet, rtp.payloadOffset(), end)).isEqualTo(PayloadStamp.OK);
            assertThat(stamp.originSequence()).isEqualTo(i);
            assertThat(rtp.payloadLength()).isLessThanOrEqualTo(1100);
        }
        scratch.release();
    }

    @Test
    void theAverageRateMatchesTheBitrate() {
        Vp8Source source = new Vp8Source(new StreamIdentity(1, 96, 0), 1_000_000, 30, 60, 1100, 0, scratch);
        long payloadBytes = 0;
        for (int frame = 0; frame < 120; frame++) {
            source.nextFrame(this::capture, frame);
        }
        for (byte[] packet : sent) {
            payloadBytes += packet.length - 12;
        }
        double bitsPerSecond = payloadBytes * 8 / 4.0;
        assertThat(bitsPerSecond).isBetween(900_000.0, 1_050_000.0);
        scratch.release();
    }

    private static boolean isKeyFrame(byte[] packet) {
        ByteBuf buf = Unpooled.wrappedBuffer(packet);
        RtpPacket rtp = new RtpPacket();
        rtp.wrap(buf);
        return KeyframeDetector.isKeyframe(Codec.VP8, buf, rtp.payloadOffset(), rtp.payloadLength());
    }
}
