package org.sluice.core.stun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.core.stun.StunTestBytes.hex;

class StunMessageTest {

    private final StunMessage message = new StunMessage();
    private final List<ByteBuf> buffers = new ArrayList<>();

    @AfterEach
    void release() {
        buffers.forEach(ByteBuf::release);
    }

    private ByteBuf buf(String hexText) {
        ByteBuf buf = Unpooled.wrappedBuffer(hex(hexText));
        buffers.add(buf);
        return buf;
    }

    private ByteBuf vector(String hexText) {
        return buf(hexText);
    }

    @Test
    void rejectsShortInput() {
        assertThat(message.wrap(buf("00 01 00 00 21 12 a4 42 00 00"))).isFalse();
        assertThat(message.invalidReason()).isEqualTo("shorter than a STUN header");
        assertThat(message.isValid()).isFalse();
    }

    @Test
    void rejectsBadCookieAndLeadingBits() {
        assertThat(message.wrap(buf("00 01 00 00 21 12 a4 43 01 02 03 04 05 06 07 08 09 0a 0b 0c"))).isFalse();
        assertThat(message.invalidReason()).isEqualTo("magic cookie mismatch");
        assertThat(message.wrap(buf("40 01 00 00 21 12 a4 42 01 02 03 04 05 06 07 08 09 0a 0b 0c"))).isFalse();
        assertThat(message.invalidReason()).isEqualTo("leading bits of message type are not zero");
    }

    @Test
    void rejectsBadLengths() {
        assertThat(message.wrap(buf("00 01 00 02 21 12 a4 42 01 02 03 04 05 06 07 08 09 0a 0b 0c 00 00"))).isFalse();
        assertThat(message.invalidReason()).isEqualTo("message length is not a multiple of 4");
        assertThat(message.wrap(buf("00 01 00 08 21 12 a4 42 01 02 03 04 05 06 07 08 09 0a 0b 0c 00 06 00 00"))).isFalse();
        assertThat(message.invalidReason()).isEqualTo("message length does not match the datagram");
        // USERNAME claims 5 bytes (8 padded) but only 4 follow.
        assertThat(message.wrap(buf("00 01 00 08 21 12 a4 42 01 02 03 04 05 06 07 08 09 0a 0b 0c 00 06 00 05 61 62 63 64")))
                .isFalse();
        assertThat(message.invalidReason()).isEqualTo("attribute value overruns the message");
    }

    @Test
    void rejectsWrongIntegrityAndFingerprintLengthsAndTrailingAttributes() {
        assertThat(message.wrap(buf("00 01 00 08 21 12 a4 42 01 02 03 04 05 06 07 08 09 0a 0b 0c 80 28 00 00 00 00 00 00")))
                .isFalse();
        assertThat(message.wrap(buf("00 01 00 08 21 12 a4 42 01 02 03 04 05 06 07 08 09 0a 0b 0c 00 08 00 04 00 00 00 00")))
                .isFalse();
        assertThat(message.invalidReason()).isEqualTo("MESSAGE-INTEGRITY length is not 20");
        assertThat(message.wrap(buf("00 01 00 10 21 12 a4 42 01 02 03 04 05 06 07 08 09 0a 0b 0c"
                + " 80 28 00 04 00 00 00 00 00 25 00 00 00 00 00 00"))).isFalse();
        assertThat(message.invalidReason()).isEqualTo("attribute after FINGERPRINT");
    }

    @Test
    void wrapsRegionInsideLargerBuffer() {
        ByteBuf buf = buf("ff ff ff " + Rfc5769VectorsTest.SAMPLE_REQUEST + " ee");
        assertThat(message.wrap(buf, 3, buf.readableBytes() - 4)).as(message.invalidReason()).isTrue();
        assertThat(message.attributeString(StunAttribute.USERNAME)).isEqualTo("evtj:h6vY");
        assertThat(new StunFingerprint().verify(message)).isTrue();
        assertThat(StunIntegrity.shortTerm(Rfc5769VectorsTest.SHORT_TERM_PASSWORD).verify(message))
                .isEqualTo(IntegrityCheck.VALID);
        assertThat(message.wrap(buf, 3, buf.readableBytes())).isFalse();
        assertThat(message.invalidReason()).isEqualTo("region out of buffer bounds");
        assertThat(message.wrap(buf, -1, 20)).isFalse();
    }

    @Test
    void iteratesAttributesInOrder() {
        message.wrap(vector(Rfc5769VectorsTest.SAMPLE_REQUEST));
        List<Integer> types = new ArrayList<>();
        for (int p = message.firstAttribute(); p >= 0; p = message.nextAttribute(p)) {
            types.add(message.attributeType(p));
        }
        assertThat(types).containsExactly(StunAttribute.SOFTWARE, StunAttribute.PRIORITY,
                StunAttribute.ICE_CONTROLLED, StunAttribute.USERNAME, StunAttribute.MESSAGE_INTEGRITY,
                StunAttribute.FINGERPRINT);
        int username = message.find(StunAttribute.USERNAME);
        assertThat(message.attributeLength(username)).isEqualTo(9);
        assertThat(message.attributeValueOffset(username)).isEqualTo(username + 4);
    }

    @Test
    void ignoresOrdinaryAttributesAfterMessageIntegrity() {
        // USERNAME after MESSAGE-INTEGRITY must be ignored (RFC 8489 §14.5).
        ByteBuf buf = buf("00 01 00 20 21 12 a4 42 01 02 03 04 05 06 07 08 09 0a 0b 0c"
                + " 00 08 00 14 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
                + " 00 06 00 04 61 3a 62 63");
        assertThat(message.wrap(buf)).isTrue();
        assertThat(message.find(StunAttribute.USERNAME)).isEqualTo(-1);
        assertThat(message.messageIntegrityPosition()).isEqualTo(20);
    }

    @Test
    void comparesAndCopiesTransactionIds() {
        StunMessage other = new StunMessage();
        message.wrap(vector(Rfc5769VectorsTest.SAMPLE_REQUEST));
        other.wrap(vector(Rfc5769VectorsTest.IPV4_RESPONSE));
        assertThat(message.transactionIdEquals(other)).isTrue();
        other.wrap(vector(Rfc5769VectorsTest.LONG_TERM_REQUEST));
        assertThat(message.transactionIdEquals(other)).isFalse();
        ByteBuf dst = Unpooled.buffer(12, 12).writerIndex(12);
        buffers.add(dst);
        message.copyTransactionId(dst, 0);
        byte[] copy = new byte[12];
        message.copyTransactionId(copy);
        assertThat(copy).isEqualTo(Rfc5769VectorsTest.TRANSACTION_ID);
        assertThat(message.transactionIdEquals(dst, 0)).isTrue();
    }

    @Test
    void isStunChecksFirstByteAndCookie() {
        ByteBuf stun = vector(Rfc5769VectorsTest.SAMPLE_REQUEST);
        assertThat(StunMessages.isStun(stun, 0)).isTrue();
        assertThat(StunMessages.isStun(stun, 1)).isFalse();
        assertThat(StunMessages.isStun(buf("80 60 00 01 21 12 a4 42 00 00 00 00 00 00 00 00 00 00 00 00"), 0)).isFalse();
        assertThat(StunMessages.isStun(buf("00 01 00 00 21 12 a4 42 00 00 00 00"), 0)).isFalse();
        assertThat(StunMessages.isStun(buf("16 fe fd 00 21 12 a4 42 00 00 00 00 00 00 00 00 00 00 00 00"), 0)).isFalse();
    }

    @Test
    void localUfragNeedsAColon() {
        message.wrap(buf("00 01 00 08 21 12 a4 42 01 02 03 04 05 06 07 08 09 0a 0b 0c 00 06 00 04 61 62 63 64"));
        assertThat(StunMessages.localUfrag(message)).isNull();
        message.wrap(buf("00 01 00 08 21 12 a4 42 01 02 03 04 05 06 07 08 09 0a 0b 0c 00 06 00 04 3a 62 63 64"));
        assertThat(StunMessages.localUfrag(message)).isNull();
        message.wrap(buf("00 01 00 08 21 12 a4 42 01 02 03 04 05 06 07 08 09 0a 0b 0c 00 06 00 03 61 62 3a 00"));
        assertThat(StunMessages.localUfrag(message)).isEqualTo("ab");
        message.wrap(buf("00 01 00 00 21 12 a4 42 01 02 03 04 05 06 07 08 09 0a 0b 0c"));
        assertThat(StunMessages.localUfrag(message)).isNull();
    }

    @Test
    void messageTypeArithmetic() {
        assertThat(StunMessageType.BINDING_REQUEST).isEqualTo(0x0001);
        assertThat(StunMessageType.BINDING_INDICATION).isEqualTo(0x0011);
        assertThat(StunMessageType.BINDING_SUCCESS_RESPONSE).isEqualTo(0x0101);
        assertThat(StunMessageType.BINDING_ERROR_RESPONSE).isEqualTo(0x0111);
        for (int method = 0; method < 0x1000; method += 37) {
            for (int cls = 0; cls < 4; cls++) {
                int type = StunMessageType.type(method, cls);
                assertThat(StunMessageType.method(type)).isEqualTo(method);
                assertThat(StunMessageType.messageClass(type)).isEqualTo(cls);
            }
        }
    }
}
