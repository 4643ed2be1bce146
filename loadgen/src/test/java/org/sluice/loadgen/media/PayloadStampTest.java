package org.sluice.loadgen.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PayloadStampTest {

    @Test
    void aWrittenStampChecksOutWithItsFields() {
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeBytes(new byte[] {1, 2, 3});
            int start = buf.writerIndex();
            PayloadStamp.write(buf, 10, 42, 1234567, 987654321L);
            assertThat(buf.writerIndex() - start).isEqualTo(PayloadStamp.length(10));
            PayloadStamp stamp = new PayloadStamp();
            assertThat(stamp.check(buf, 0, buf.writerIndex())).isEqualTo(PayloadStamp.OK);
            assertThat(stamp.streamId()).isEqualTo(42);
            assertThat(stamp.originSequence()).isEqualTo(1234567);
            assertThat(stamp.sendNanos()).isEqualTo(987654321L);
        } finally {
            buf.release();
        }
    }

    @Test
    void anyFlippedFillerByteFailsTheCheck() {
        ByteBuf buf = Unpooled.buffer();
        try {
            PayloadStamp.write(buf, 4, 7, 9, 1);
            PayloadStamp stamp = new PayloadStamp();
            for (int i = 0; i < 32; i++) {
                buf.setByte(i, buf.getByte(i) ^ 0x01);
                assertThat(stamp.check(buf, 0, buf.writerIndex())).as("byte " + i).isEqualTo(PayloadStamp.BAD_FILLER);
                buf.setByte(i, buf.getByte(i) ^ 0x01);
            }
        } finally {
            buf.release();
        }
    }

    @Test
    void anotherStreamsFillerUnderThisTrailerFails() {
        ByteBuf a = Unpooled.buffer();
        ByteBuf b = Unpooled.buffer();
        try {
            PayloadStamp.write(a, 3, 1, 5, 0);
            PayloadStamp.write(b, 3, 2, 5, 0);
            b.setBytes(24, a, 24, PayloadStamp.TRAILER_LENGTH); // b's filler, a's trailer
            assertThat(new PayloadStamp().check(b, 0, b.writerIndex())).isEqualTo(PayloadStamp.BAD_FILLER);
        } finally {
            a.release();
            b.release();
        }
    }

    @Test
    void hostileInputAnswersACodeNeverAnException() {
        ByteBuf buf = Unpooled.buffer();
        try {
            PayloadStamp stamp = new PayloadStamp();
            buf.writeZero(10);
            assertThat(stamp.check(buf, 0, 10)).isEqualTo(PayloadStamp.TOO_SHORT);
            buf.writeZero(30);
            assertThat(stamp.check(buf, 0, 40)).isEqualTo(PayloadStamp.BAD_MAGIC);
            buf.clear();
            PayloadStamp.write(buf, 0, 1, 1, 1);
            buf.setInt(12, 1 << 20); // a filler longer than the payload
            assertThat(stamp.check(buf, 0, buf.writerIndex())).isEqualTo(PayloadStamp.BAD_LENGTH);
            assertThat(stamp.check(buf, -1, 5000)).isEqualTo(PayloadStamp.TOO_SHORT);
        } finally {
            buf.release();
        }
    }
}
