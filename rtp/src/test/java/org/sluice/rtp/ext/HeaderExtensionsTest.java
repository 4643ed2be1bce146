package org.sluice.rtp.ext;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.testing.RtpPacketBuilder;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderExtensionsTest {

    private static final int[] FIXED_HEADER = {
        0x90, 0xe0, 0x69, 0x8f, 0xd9, 0xc2, 0x93, 0xda, 0x1c, 0x64, 0x27, 0x82};

    private final List<ByteBuf> buffers = new ArrayList<>();
    private final RtpPacket packet = new RtpPacket();
    private final HeaderExtensions ext = new HeaderExtensions();

    @AfterEach
    void release() {
        buffers.forEach(ByteBuf::release);
    }

    private ByteBuf track(ByteBuf buf) {
        buffers.add(buf);
        return buf;
    }

    private ByteBuf packetWith(int[] extension, int... payload) {
        byte[] b = new byte[FIXED_HEADER.length + extension.length + payload.length];
        int i = 0;
        for (int v : FIXED_HEADER) {
            b[i++] = (byte) v;
        }
        for (int v : extension) {
            b[i++] = (byte) v;
        }
        for (int v : payload) {
            b[i++] = (byte) v;
        }
        return track(Unpooled.wrappedBuffer(b));
    }

    private void wrap(ByteBuf buf) {
        assertThat(packet.wrap(buf)).as(packet.invalidReason()).isTrue();
        assertThat(ext.wrap(packet)).as(ext.invalidReason()).isTrue();
    }

    private static String hex(ByteBuf buf, int index, int length) {
        return ByteBufUtil.hexDump(buf, index, length);
    }

    /** RFC 8285 §4.2 example: ids 1 (1 byte), 2 (2 bytes), two padding bytes, 3 (4 bytes). */
    @Test
    void rfc8285OneByteExample() {
        ByteBuf buf = packetWith(new int[]{
            0xBE, 0xDE, 0x00, 0x03, 0x10, 0xAA, 0x21, 0xBB, 0xBB, 0x00, 0x00, 0x33, 0xCC, 0xCC, 0xCC, 0xCC}, 0x98);
        wrap(buf);
        assertThat(ext.form()).isEqualTo(HeaderExtensions.FORM_ONE_BYTE);

        assertThat(ext.find(1)).isEqualTo(17);
        assertThat(ext.length(1)).isEqualTo(1);
        assertThat(buf.getUnsignedByte(ext.find(1))).isEqualTo((short) 0xAA);
        assertThat(ext.find(2)).isEqualTo(19);
        assertThat(ext.length(2)).isEqualTo(2);
        assertThat(hex(buf, ext.find(2), 2)).isEqualTo("bbbb");
        assertThat(ext.find(3)).isEqualTo(24);
        assertThat(ext.length(3)).isEqualTo(4);
        assertThat(hex(buf, ext.find(3), 4)).isEqualTo("cccccccc");
        assertThat(ext.find(4)).isEqualTo(-1);
        assertThat(ext.length(4)).isEqualTo(-1);
        assertThat(ext.find(0)).isEqualTo(-1);

        StringBuilder seen = new StringBuilder();
        for (int h = ext.first(); h >= 0; h = ext.next(h)) {
            seen.append(ext.idAt(h)).append(':').append(hex(buf, h, ext.lengthAt(h))).append(' ');
        }
        assertThat(seen.toString()).isEqualTo("1:aa 2:bbbb 3:cccccccc ");
    }

    /** RFC 8285 §4.3 example: ids 1 (0 bytes), 2 (1 byte), one padding byte, 3 (4 bytes). */
    @Test
    void rfc8285TwoByteExample() {
        ByteBuf buf = packetWith(new int[]{
            0x10, 0x00, 0x00, 0x03, 0x01, 0x00, 0x02, 0x01, 0xBB, 0x00, 0x03, 0x04, 0xCC, 0xCC, 0xCC, 0xCC}, 0x98);
        wrap(buf);
        assertThat(ext.form()).isEqualTo(HeaderExtensions.FORM_TWO_BYTE);
        assertThat(ext.find(1)).isEqualTo(18);
        assertThat(ext.length(1)).isZero();
        assertThat(ext.find(2)).isEqualTo(20);
        assertThat(buf.getUnsignedByte(20)).isEqualTo((short) 0xBB);
        assertThat(ext.length(2)).isEqualTo(1);
        assertThat(ext.find(3)).isEqualTo(24);
        assertThat(ext.length(3)).isEqualTo(4);
        int count = 0;
        for (int h = ext.first(); h >= 0; h = ext.next(h)) {
            count++;
        }
        assertThat(count).isEqualTo(3);
    }

    @Test
    void twoByteAppBitsAreAccepted() {
        ByteBuf buf = track(new RtpPacketBuilder().twoByteAppBits(0xF).twoByteExtension(200, 1, 2).build());
        wrap(buf);
        assertThat(packet.extensionProfile()).isEqualTo(0x100F);
        assertThat(ext.length(200)).isEqualTo(2);
    }

    @Test
    void idFifteenEndsOneByteBlock() {
        ByteBuf buf = packetWith(new int[]{0xBE, 0xDE, 0x00, 0x02, 0x10, 0xAA, 0xF3, 0x20, 0x01, 0x00, 0x00, 0x00});
        wrap(buf);
        assertThat(ext.find(1)).isGreaterThan(0);
        assertThat(ext.find(2)).isEqualTo(-1);
    }

    @Test
    void rejectsOverflowingElementsAndForeignProfiles() {
        ByteBuf one = packetWith(new int[]{0xBE, 0xDE, 0x00, 0x01, 0x10, 0xAA, 0x23, 0xBB});
        assertThat(packet.wrap(one)).isTrue();
        assertThat(ext.wrap(packet)).isFalse();
        assertThat(ext.invalidReason()).isSameAs(HeaderExtensions.ELEMENT_OVERFLOW);
        assertThat(ext.find(1)).isEqualTo(-1);
        assertThat(ext.first()).isEqualTo(-1);
        assertThat(ext.add(5, 1)).isEqualTo(-1);

        ByteBuf two = packetWith(new int[]{0x10, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05});
        assertThat(packet.wrap(two)).isTrue();
        assertThat(ext.wrap(packet)).isFalse();
        assertThat(ext.invalidReason()).isSameAs(HeaderExtensions.ELEMENT_OVERFLOW);

        ByteBuf twoHalf = packetWith(new int[]{0x10, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x07});
        assertThat(packet.wrap(twoHalf)).isTrue();
        assertThat(ext.wrap(packet)).isFalse();

        ByteBuf foreign = packetWith(new int[]{0x12, 0x34, 0x00, 0x01, 0x10, 0xAA, 0x00, 0x00});
        assertThat(packet.wrap(foreign)).isTrue();
        assertThat(ext.wrap(packet)).isFalse();
        assertThat(ext.invalidReason()).isSameAs(HeaderExtensions.UNSUPPORTED_PROFILE);

        RtpPacket unwrapped = new RtpPacket();
        assertThat(ext.wrap(unwrapped)).isFalse();
        assertThat(ext.wrap(null)).isFalse();
    }

    @Test
    void packetWithoutExtensionIsEmpty() {
        ByteBuf buf = track(new RtpPacketBuilder().payload(new byte[4]).build());
        wrap(buf);
        assertThat(ext.form()).isEqualTo(HeaderExtensions.FORM_NONE);
        assertThat(ext.first()).isEqualTo(-1);
        assertThat(ext.find(1)).isEqualTo(-1);
        assertThat(ext.remove(1)).isFalse();
    }

    @Test
    void setOverwritesSameLengthOnly() {
        ByteBuf buf = track(new RtpPacketBuilder().oneByteExtension(1, 0xAA).oneByteExtension(2, 0xBB, 0xBB).build());
        wrap(buf);
        assertThat(ext.set(2, new byte[]{1, 2})).isTrue();
        assertThat(hex(buf, ext.find(2), 2)).isEqualTo("0102");
        assertThat(ext.set(2, new byte[]{1})).isFalse();
        assertThat(ext.set(3, new byte[]{1})).isFalse();
        assertThat(ext.set(1, null)).isFalse();
        assertThat(hex(buf, ext.find(1), 1)).isEqualTo("aa");
    }

    @Test
    void removeTurnsElementIntoPadding() {
        ByteBuf buf = packetWith(new int[]{
            0xBE, 0xDE, 0x00, 0x03, 0x10, 0xAA, 0x21, 0xBB, 0xBB, 0x00, 0x00, 0x33, 0xCC, 0xCC, 0xCC, 0xCC}, 0x98);
        wrap(buf);
        int length = packet.length();
        assertThat(ext.remove(2)).isTrue();
        assertThat(ext.remove(2)).isFalse();
        assertThat(hex(buf, 16, 12)).isEqualTo("10aa0000000000" + "33cccccccc");
        assertThat(packet.wrap(buf)).isTrue();
        assertThat(packet.length()).isEqualTo(length);
        assertThat(ext.wrap(packet)).isTrue();
        assertThat(ext.find(2)).isEqualTo(-1);
        assertThat(ext.find(1)).isEqualTo(17);
        assertThat(ext.find(3)).isEqualTo(24);
    }

    @Test
    void addToPacketWithoutExtensionShiftsPayloadAndMovesWriterIndex() {
        ByteBuf buf = track(new RtpPacketBuilder().sequenceNumber(7).payload(new byte[]{1, 2, 3, 4, 5})
                .padding(3).extraCapacity(16).build());
        wrap(buf);
        int h = ext.add(3, 2);
        assertThat(h).isEqualTo(17);
        buf.setShort(h, 0xBEEF);

        assertThat(buf.writerIndex()).isEqualTo(12 + 5 + 3 + 8);
        assertThat(packet.length()).isEqualTo(buf.writerIndex());
        assertThat(packet.hasExtension()).isTrue();
        assertThat(packet.extensionProfile()).isEqualTo(0xBEDE);
        assertThat(packet.extensionDataLength()).isEqualTo(4);
        assertThat(packet.payloadLength()).isEqualTo(5);
        assertThat(packet.paddingLength()).isEqualTo(3);
        assertThat(packet.sequenceNumber()).isEqualTo(7);
        byte[] expected = new RtpPacketBuilder().sequenceNumber(7).oneByteExtension(3, 0xBE, 0xEF)
                .payload(new byte[]{1, 2, 3, 4, 5}).padding(3).toBytes();
        assertThat(ByteBufUtil.getBytes(buf)).isEqualTo(expected);
        assertThat(ext.find(3)).isEqualTo(h);
    }

    @Test
    void addAppendsInPlaceWhenBlockHasRoom() {
        // One element (2 bytes) in a 4-byte block: a 1-byte element fits without growing.
        ByteBuf buf = track(new RtpPacketBuilder().oneByteExtension(1, 0xAA).payload(new byte[]{9}).build());
        wrap(buf);
        int length = packet.length();
        int h = ext.add(2, new byte[]{0x55}) ? ext.find(2) : -1;
        assertThat(h).isEqualTo(19);
        assertThat(packet.length()).isEqualTo(length);
        assertThat(hex(buf, 16, 4)).isEqualTo("10aa2055");
        assertThat(buf.getByte(packet.payloadOffset())).isEqualTo((byte) 9);
    }

    @Test
    void addCompactsPaddingBeforeGrowing() {
        // RFC example: 7 bytes of elements + 2 pad + 1 trailing pad = 12; adding 1+4 needs 12 after compaction.
        ByteBuf buf = packetWith(new int[]{
            0xBE, 0xDE, 0x00, 0x03, 0x10, 0xAA, 0x21, 0xBB, 0xBB, 0x00, 0x00, 0x33, 0xCC, 0xCC, 0xCC, 0xCC}, 0x98);
        wrap(buf);
        // 10 bytes of elements + 5 new = 15 -> would need 16: no capacity in an exact-size buffer.
        assertThat(ext.add(4, new byte[]{1, 2, 3, 4})).isFalse();
        // 10 + 2 = 12: fits once the two padding bytes are squeezed out.
        assertThat(ext.add(4, new byte[]{0x44})).isTrue();
        assertThat(packet.length()).isEqualTo(FIXED_HEADER.length + 16 + 1);
        assertThat(hex(buf, 16, 12)).isEqualTo("10aa21bbbb33cccccccc4044");
        assertThat(ext.find(3)).isEqualTo(22);
    }

    @Test
    void addReusesPaddingFromRemovedElements() {
        ByteBuf buf = packetWith(new int[]{
            0xBE, 0xDE, 0x00, 0x03, 0x10, 0xAA, 0x21, 0xBB, 0xBB, 0x00, 0x00, 0x33, 0xCC, 0xCC, 0xCC, 0xCC}, 0x98);
        wrap(buf);
        assertThat(ext.remove(2)).isTrue();
        assertThat(ext.add(4, new byte[]{1, 2, 3, 4})).isTrue();
        assertThat(packet.length()).isEqualTo(FIXED_HEADER.length + 16 + 1);
        assertThat(hex(buf, 16, 12)).isEqualTo("10aa33cccccccc4301020304");
        assertThat(buf.getUnsignedByte(packet.payloadOffset())).isEqualTo((short) 0x98);
    }

    @Test
    void addFailsWithoutCapacityAndLeavesPacketUntouched() {
        ByteBuf buf = track(new RtpPacketBuilder().oneByteExtension(1, 0xAA, 0xBB, 0xCC).payload(new byte[]{9}).build());
        byte[] before = ByteBufUtil.getBytes(buf);
        wrap(buf);
        assertThat(ext.add(2, 1)).isEqualTo(-1);
        assertThat(ByteBufUtil.getBytes(buf)).isEqualTo(before);
        assertThat(buf.capacity()).isEqualTo(before.length);
    }

    @Test
    void addFailsWhenReadableBytesFollowThePacket() {
        byte[] inner = new RtpPacketBuilder().payload(new byte[]{1, 2}).toBytes();
        ByteBuf buf = track(Unpooled.buffer(64));
        buf.writeBytes(inner).writeBytes(new byte[]{7, 7});
        assertThat(packet.wrap(buf, 0, inner.length)).isTrue();
        assertThat(ext.wrap(packet)).isTrue();
        assertThat(ext.add(1, 1)).isEqualTo(-1);
        assertThat(buf.getByte(inner.length)).isEqualTo((byte) 7);
    }

    @Test
    void addRejectsBadArgumentsAndDuplicates() {
        ByteBuf buf = track(new RtpPacketBuilder().oneByteExtension(1, 0xAA).extraCapacity(64).build());
        wrap(buf);
        assertThat(ext.add(0, 1)).isEqualTo(-1);
        assertThat(ext.add(256, 1)).isEqualTo(-1);
        assertThat(ext.add(2, -1)).isEqualTo(-1);
        assertThat(ext.add(2, 256)).isEqualTo(-1);
        assertThat(ext.add(1, 1)).isEqualTo(-1);
        assertThat(ext.add(2, (byte[]) null)).isFalse();
    }

    @Test
    void addConvertsToTwoByteForLargeIdOrLength() {
        ByteBuf buf = packetWith(new int[]{
            0xBE, 0xDE, 0x00, 0x03, 0x10, 0xAA, 0x21, 0xBB, 0xBB, 0x00, 0x00, 0x33, 0xCC, 0xCC, 0xCC, 0xCC}, 0x98);
        ByteBuf big = track(PooledByteBufAllocator.DEFAULT.directBuffer(buf.readableBytes() + 32, buf.readableBytes() + 32));
        big.writeBytes(buf);
        wrap(big);
        assertThat(ext.add(20, new byte[]{0x77, 0x78})).isTrue();

        assertThat(packet.extensionProfile()).isEqualTo(0x1000);
        // 3 elements of 2-byte headers: 3 + 4 + 6 = 13, plus 2 + 2 = 17 -> 20 bytes.
        assertThat(packet.extensionDataLength()).isEqualTo(20);
        assertThat(hex(big, 16, 20)).isEqualTo("0101aa" + "0202bbbb" + "0304cccccccc" + "14027778" + "000000");
        assertThat(big.getUnsignedByte(packet.payloadOffset())).isEqualTo((short) 0x98);
        assertThat(packet.payloadLength()).isEqualTo(1);
        assertThat(big.writerIndex()).isEqualTo(packet.length());
        assertThat(hex(big, ext.find(3), 4)).isEqualTo("cccccccc");
        assertThat(ext.form()).isEqualTo(HeaderExtensions.FORM_TWO_BYTE);
    }

    @Test
    void addZeroLengthElementNeedsTwoByteForm() {
        ByteBuf buf = track(new RtpPacketBuilder().payload(new byte[]{1}).extraCapacity(8).build());
        wrap(buf);
        int h = ext.add(5, 0);
        assertThat(h).isPositive();
        assertThat(packet.extensionProfile()).isEqualTo(0x1000);
        assertThat(ext.length(5)).isZero();
        assertThat(hex(buf, 12, 8)).isEqualTo("10000001" + "05000000");
    }

    @Test
    void addToTwoByteKeepsFormAndAppBits() {
        ByteBuf buf = track(new RtpPacketBuilder().twoByteAppBits(3).twoByteExtension(1, 0xAA)
                .payload(new byte[]{4, 4}).extraCapacity(8).build());
        wrap(buf);
        assertThat(ext.add(2, new byte[]{1, 2, 3})).isTrue();
        assertThat(packet.extensionProfile()).isEqualTo(0x1003);
        assertThat(hex(buf, 16, 8)).isEqualTo("0101aa0203010203");
        assertThat(hex(buf, packet.payloadOffset(), 2)).isEqualTo("0404");
    }

    @Test
    void manyAddsThenIterateMatchesBuilder() {
        ByteBuf buf = track(new RtpPacketBuilder().csrc(9).payload(new byte[]{1, 2, 3}).extraCapacity(200).build());
        wrap(buf);
        for (int id = 1; id <= 14; id++) {
            byte[] value = new byte[id];
            java.util.Arrays.fill(value, (byte) id);
            assertThat(ext.add(id, value)).as("id %d", id).isTrue();
        }
        RtpPacketBuilder expected = new RtpPacketBuilder().csrc(9);
        for (int id = 1; id <= 14; id++) {
            byte[] value = new byte[id];
            java.util.Arrays.fill(value, (byte) id);
            expected.oneByteExtension(id, value);
        }
        expected.payload(new byte[]{1, 2, 3});
        assertThat(ByteBufUtil.getBytes(buf)).isEqualTo(expected.toBytes());
        assertThat(ext.add(15, new byte[]{15})).isTrue();
        assertThat(ext.form()).isEqualTo(HeaderExtensions.FORM_TWO_BYTE);
        for (int id = 1; id <= 15; id++) {
            assertThat(ext.length(id)).isEqualTo(id == 15 ? 1 : id);
            assertThat(buf.getByte(ext.find(id))).isEqualTo((byte) id);
        }
        assertThat(hex(buf, packet.payloadOffset(), 3)).isEqualTo("010203");
    }

    @Test
    void addWorksOnPacketAfterReaderIndex() {
        byte[] inner = new RtpPacketBuilder().ssrc(99).oneByteExtension(2, 0x22).payload(new byte[]{5, 6, 7}).toBytes();
        ByteBuf buf = track(Unpooled.buffer(8 + inner.length + 4, 8 + inner.length + 4));
        buf.writeZero(8).writeBytes(inner).readerIndex(8);
        wrap(buf);
        int h = ext.add(3, 2);
        assertThat(h).isPositive();
        buf.setShort(h, 0x0102);
        assertThat(buf.readerIndex()).isEqualTo(8);
        assertThat(buf.writerIndex()).isEqualTo(8 + inner.length + 4);
        byte[] expected = new RtpPacketBuilder().ssrc(99).oneByteExtension(2, 0x22).oneByteExtension(3, 1, 2)
                .payload(new byte[]{5, 6, 7}).toBytes();
        assertThat(ByteBufUtil.getBytes(buf)).isEqualTo(expected);
        assertThat(packet.offset()).isEqualTo(8);
        assertThat(packet.ssrc()).isEqualTo(99);
    }
}
