package org.sluice.core.forward;

import io.netty.buffer.ByteBuf;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.core.forward.CollectingLeg.Sent;
import org.sluice.core.net.MediaLoop;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.codec.Codec;
import org.sluice.rtp.testing.RtpPacketBuilder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.core.forward.OutboundStreamTest.VP8_DELTA;
import static org.sluice.core.forward.OutboundStreamTest.VP8_KEY;

/**
 * Two simulcast layers whose packets arrive in bursts, as a publisher's encoders send them (a run of one layer, then
 * a run of the other), through the publisher's fan-out and packet caches on a media loop, while the receiver is
 * moved, paused, resumed and settled at random points between packets (one thread, seeded): the receiver's sequence
 * line never has a hole, and a layer change starts at a keyframe.
 */
class OutboundStreamBurstyLayersTest {

    private static final int RUN = 16;
    private static final int FRAMES = 320;

    private final DefaultEventLoop el0 = new DefaultEventLoop(new DefaultThreadFactory("bursty-0"));
    private final MediaLoop loop0 = new MediaLoop(0, el0);
    private final List<InboundStream> streams = new ArrayList<>();

    @AfterEach
    void stopLoop() throws InterruptedException {
        streams.forEach(InboundStream::retire); // the loop releases what the caches hold before it stops
        el0.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        assertThat(el0.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    private InboundStream layer(long ssrc, MediaSlot slot) {
        InboundStream stream = new InboundStream(ssrc, MediaKind.VIDEO, slot, new CodecTable(Map.of(96, Codec.VP8)),
                ExtensionIds.NONE, 90_000,
                new KeyframeRequester(ssrc, s -> { }, System::nanoTime, KeyframeRequester.DEFAULT_INTERVAL_NANOS),
                List.of(loop0));
        slot.attachSource(stream);
        streams.add(stream);
        return stream;
    }

    @Test
    void randomMovesBetweenBurstsOfTwoLayersLeaveNoHoleInTheReceiversLine() throws Exception {
        for (int seed = 0; seed < 200; seed++) {
            MediaSlot lowSlot = new MediaSlot(MediaKind.VIDEO, 1);
            MediaSlot highSlot = new MediaSlot(MediaKind.VIDEO, 1);
            InboundStream[] layers = {layer(0x1000, lowSlot), layer(0x2000, highSlot)};
            CollectingLeg leg = new CollectingLeg();
            OutboundStream out = new OutboundStream(leg, 0xCAFE, lowSlot, new CodecTable(Map.of(96, Codec.VP8)),
                    ExtensionIds.NONE, System::nanoTime);
            out.offerLayers(new MediaSlot[] {lowSlot, highSlot});
            lowSlot.addSink(out, 0);
            SplittableRandom random = new SplittableRandom(seed);
            List<String> trace = new ArrayList<>();
            el0.submit(() -> {
                RtpPacket view = new RtpPacket();
                for (int first = 0; first < FRAMES; first += RUN) {
                    for (int tag = 0; tag < 2; tag++) {
                        for (int i = first; i < first + RUN; i++) {
                            if (random.nextInt(6) == 0) {
                                switch (random.nextInt(5)) {
                                    case 0 -> { out.moveTo(lowSlot, 0); trace.add("to-low"); }
                                    case 1 -> { out.moveTo(highSlot, 0); trace.add("to-high"); }
                                    case 2 -> { out.pause(); trace.add("pause"); }
                                    case 3 -> { out.settleMove(); trace.add("settle"); }
                                    default -> { out.resume(0); trace.add("resume"); }
                                }
                            }
                            publish(layers[tag], tag, i, view);
                            trace.add((tag == 0 ? "L" : "H") + i);
                        }
                    }
                }
            }).get(10, TimeUnit.SECONDS);

            List<Sent> sent = leg.sent();
            assertThat(leg.failures()).isEmpty();
            for (int i = 1; i < sent.size(); i++) {
                Sent previous = sent.get(i - 1);
                Sent current = sent.get(i);
                int at = i;
                int run = seed;
                assertThat(current.sequenceNumber()).as(() -> "seed " + run + ", packet " + at + " (" + name(current)
                        + " after " + name(previous) + "); the events before it: " + before(trace, name(current), 40))
                        .isEqualTo((previous.sequenceNumber() + 1) & 0xFFFF);
                if (tag(current) != tag(previous)) {
                    assertThat(keyframe(current)).as("seed %d: the first packet of a layer change, %d", seed, i)
                            .isTrue();
                }
            }
        }
    }

    private void publish(InboundStream layer, int tag, int i, RtpPacket view) {
        byte[] base = i % 10 == 0 ? VP8_KEY : VP8_DELTA;
        byte[] payload = Arrays.copyOf(base, base.length + 3);
        payload[base.length] = (byte) tag;
        payload[base.length + 1] = (byte) (i >> 8);
        payload[base.length + 2] = (byte) i;
        ByteBuf packet = new RtpPacketBuilder().payloadType(96).marker(true).ssrc(layer.ssrc()).sequenceNumber(i)
                .timestamp(3000L * i + tag * 1_000_000L).payload(payload).build();
        view.wrap(packet);
        layer.forward(packet, view, loop0);
        packet.release();
    }

    /** Up to {@code n} events before the publication of {@code packet}, and it. */
    private static List<String> before(List<String> trace, String packet, int n) {
        int at = trace.indexOf(packet);
        int end = at < 0 ? trace.size() : at + 1;
        return trace.subList(Math.max(0, end - n), end);
    }

    private static int tag(Sent s) {
        return s.payload()[s.payload().length - 3];
    }

    private static boolean keyframe(Sent s) {
        return (s.payload()[1] & 0x01) == 0;
    }

    private static String name(Sent s) {
        byte[] p = s.payload();
        return (tag(s) == 0 ? "L" : "H") + (((p[p.length - 2] & 0xFF) << 8) | (p[p.length - 1] & 0xFF));
    }
}
