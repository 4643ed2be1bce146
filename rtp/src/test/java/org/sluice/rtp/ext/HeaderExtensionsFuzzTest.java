package org.sluice.rtp.ext;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.RtpPacket;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile extension blocks for {@link HeaderExtensions}: random element bytes under the one-byte,
 * two-byte and foreign profiles, in buffers of exactly the packet size (reads past the end throw),
 * with find, iteration, remove and add exercised on whatever parses.
 */
class HeaderExtensionsFuzzTest {

    private static final int CASES = 200_000;

    private final RtpPacket packet = new RtpPacket();
    private final HeaderExtensions ext = new HeaderExtensions();

    @Test
    void randomBlocksNeverThrowAndEditsPreserveElements() {
        SplittableRandom random = new SplittableRandom(0xE87);
        int valid = 0;
        int added = 0;
        for (int i = 0; i < CASES; i++) {
            int words = random.nextInt(0, 6);
            int payload = random.nextInt(0, 20);
            int spare = random.nextInt(3) == 0 ? random.nextInt(0, 40) : 0;
            int length = 12 + 4 + 4 * words + payload;
            ByteBuf buf = Unpooled.buffer(length + spare, length + spare);
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            bytes[0] = (byte) (0x90 | (random.nextInt(4) == 0 ? 0x20 : 0));
            int profile = switch (random.nextInt(5)) {
                case 0, 1 -> 0xBEDE;
                case 2, 3 -> 0x1000 | random.nextInt(16);
                default -> random.nextInt(0x10000);
            };
            bytes[12] = (byte) (profile >>> 8);
            bytes[13] = (byte) profile;
            bytes[14] = 0;
            bytes[15] = (byte) (random.nextInt(8) == 0 ? random.nextInt(256) : words);
            for (int b = 16; b < 16 + 4 * words; b++) {
                if (random.nextInt(3) == 0) {
                    bytes[b] = 0; // padding is common
                } else if (profile == 0xBEDE && random.nextBoolean()) {
                    bytes[b] = (byte) ((random.nextInt(1, 15) << 4) | random.nextInt(4));
                } else if (random.nextBoolean()) {
                    bytes[b] = (byte) random.nextInt(0, 6);
                }
            }
            buf.writeBytes(bytes);
            if (packet.wrap(buf) && ext.wrap(packet)) {
                valid++;
                if (exercise(random, buf)) {
                    added++;
                }
            } else if (packet.isValid()) {
                assertThat(ext.invalidReason()).isNotNull();
                assertThat(ext.find(1)).isEqualTo(-1);
            }
            buf.release();
        }
        assertThat(valid).isGreaterThan(CASES / 10);
        assertThat(added).isGreaterThan(CASES / 100);
    }

    private boolean exercise(SplittableRandom random, ByteBuf buf) {
        int blockEnd = packet.payloadOffset();
        Map<Integer, String> elements = new HashMap<>();
        int steps = 0;
        for (int h = ext.first(); h >= 0; h = ext.next(h)) {
            assertThat(++steps).isLessThan(300);
            int len = ext.lengthAt(h);
            assertThat(h + len).isLessThanOrEqualTo(blockEnd);
            int id = ext.idAt(h);
            assertThat(id).isBetween(1, 255);
            elements.putIfAbsent(id, ByteBufUtil.hexDump(buf, h, len));
        }
        for (int id = 0; id < 256; id++) {
            int h = ext.find(id);
            assertThat(h >= 0).isEqualTo(elements.containsKey(id));
        }
        if (!elements.isEmpty() && random.nextInt(4) == 0) {
            int victim = elements.keySet().iterator().next();
            assertThat(ext.remove(victim)).isTrue();
            // a duplicate id may surface once the first is gone
            int again = ext.find(victim);
            if (again < 0) {
                elements.remove(victim);
            } else {
                elements.put(victim, ByteBufUtil.hexDump(buf, again, ext.lengthAt(again)));
            }
        }
        int payloadLength = packet.payloadLength();
        String payloadBefore = ByteBufUtil.hexDump(buf, packet.payloadOffset(), payloadLength);
        int id = random.nextInt(1, 40);
        int len = random.nextInt(0, 20);
        int h = ext.add(id, len);
        if (h < 0) {
            return false;
        }
        assertThat(elements).doesNotContainKey(id);
        assertThat(packet.isValid()).isTrue();
        assertThat(ext.isValid()).isTrue();
        assertThat(ext.find(id)).isEqualTo(h);
        assertThat(ext.lengthAt(h)).isEqualTo(len);
        for (Map.Entry<Integer, String> e : elements.entrySet()) {
            int eh = ext.find(e.getKey());
            assertThat(eh).isNotNegative();
            assertThat(ByteBufUtil.hexDump(buf, eh, ext.lengthAt(eh))).isEqualTo(e.getValue());
        }
        assertThat(packet.payloadLength()).isEqualTo(payloadLength);
        assertThat(ByteBufUtil.hexDump(buf, packet.payloadOffset(), payloadLength)).isEqualTo(payloadBefore);
        assertThat(buf.writerIndex()).isEqualTo(packet.offset() + packet.length());
        return true;
    }
}
