package org.sluice.core.forward;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.ext.HeaderExtensions;
import org.sluice.rtp.testing.RtpPacketBuilder;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random publisher extension blocks (either form, padding between elements) and random id tables:
 * the written header always parses back as exactly the kept elements, renumbered, in order, with
 * the source's bytes, in a block that is a whole number of words.
 */
class RtpHeaderWriterPropertyTest {

    private record Element(int id, byte[] data) {
    }

    @Test
    void writtenHeadersParseBackAsTheKeptElements() {
        SplittableRandom random = new SplittableRandom(0x5EED);
        RtpPacket view = new RtpPacket();
        RtpPacket parsed = new RtpPacket();
        HeaderExtensions walker = new HeaderExtensions();
        HeaderExtensions reader = new HeaderExtensions();
        for (int round = 0; round < 20_000; round++) {
            boolean twoByteSource = random.nextBoolean();
            RtpPacketBuilder builder = new RtpPacketBuilder().payloadType(96).sequenceNumber(round & 0xFFFF)
                    .ssrc(0x1234).payload(new byte[] {7, 7, 7});
            if (random.nextInt(4) == 0) {
                builder.extensionPaddingBetween(random.nextInt(4));
            }
            List<Element> elements = new ArrayList<>();
            int count = random.nextInt(6);
            boolean[] used = new boolean[256];
            for (int i = 0; i < count; i++) {
                int id = twoByteSource ? 1 + random.nextInt(255) : 1 + random.nextInt(14);
                if (used[id]) {
                    continue;
                }
                used[id] = true;
                byte[] data = new byte[twoByteSource ? random.nextInt(30) : 1 + random.nextInt(16)];
                random.nextBytes(data);
                elements.add(new Element(id, data));
                if (twoByteSource) {
                    builder.twoByteExtension(id, data);
                } else {
                    builder.oneByteExtension(id, data);
                }
            }
            int[] table = new int[256];
            for (Element e : elements) {
                int r = random.nextInt(3);
                table[e.id()] = r == 0 ? 0 : r == 1 ? 1 + random.nextInt(14) : 1 + random.nextInt(255);
            }
            List<Element> expected = new ArrayList<>();
            boolean[] target = new boolean[256];
            boolean clash = false;
            for (Element e : elements) {
                int to = table[e.id()];
                if (to > 0) {
                    clash |= target[to];
                    target[to] = true;
                    expected.add(new Element(to, e.data()));
                }
            }
            if (clash) {
                continue; // two source ids mapped to one receiver id cannot come out of an ExtensionIds table
            }

            ByteBuf source = builder.build();
            ByteBuf out = Unpooled.buffer(64);
            try {
                assertThat(view.wrap(source)).isTrue();
                int length = RtpHeaderWriter.write(out, view, walker, table, 100, 1, 2, 3);
                String context = "round " + round + " source " + ByteBufUtil.hexDump(source);
                assertThat(length).as(context).isEqualTo(out.readableBytes());
                assertThat(length % 4).as(context).isZero();
                out.writeBytes(new byte[] {1, 2});
                assertThat(parsed.wrap(out)).as(context + " " + parsed.invalidReason()).isTrue();
                assertThat(parsed.payloadLength()).as(context).isEqualTo(2);
                assertThat(parsed.hasExtension()).as(context).isEqualTo(!expected.isEmpty());
                if (expected.isEmpty()) {
                    assertThat(length).isEqualTo(12);
                    continue;
                }
                assertThat(reader.wrap(parsed)).as(context).isTrue();
                List<String> actual = new ArrayList<>();
                for (int h = reader.first(); h >= 0; h = reader.next(h)) {
                    actual.add(reader.idAt(h) + ":" + ByteBufUtil.hexDump(out, h, reader.lengthAt(h)));
                }
                List<String> wanted = expected.stream()
                        .map(e -> e.id() + ":" + HexFormat.of().formatHex(e.data())).toList();
                assertThat(actual).as(context).isEqualTo(wanted);
            } finally {
                source.release();
                out.release();
            }
        }
    }
}
