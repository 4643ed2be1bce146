package org.sluice.core.stun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property test of the STUN view: random, truncated, bit-flipped and length-tampered messages never
 * make it throw or read outside the wrapped region, and a single flipped bit never passes FINGERPRINT.
 */
class StunMessageFuzzTest {

    private static final int CASES = 300_000;
    private static final int[] TYPES = {
        StunAttribute.USERNAME, StunAttribute.PRIORITY, StunAttribute.ICE_CONTROLLED, StunAttribute.ICE_CONTROLLING,
        StunAttribute.USE_CANDIDATE, StunAttribute.XOR_MAPPED_ADDRESS, StunAttribute.ERROR_CODE,
        StunAttribute.SOFTWARE, StunAttribute.MESSAGE_INTEGRITY, StunAttribute.MESSAGE_INTEGRITY_SHA256,
        StunAttribute.FINGERPRINT, 0x7777
    };

    private final StunMessage message = new StunMessage();
    private final StunFingerprint fingerprint = new StunFingerprint();
    private final StunIntegrity integrity = StunIntegrity.shortTerm(Rfc5769VectorsTest.SHORT_TERM_PASSWORD);

    private static List<byte[]> corpus() throws Exception {
        List<byte[]> corpus = new ArrayList<>();
        corpus.add(StunTestBytes.hex(Rfc5769VectorsTest.SAMPLE_REQUEST));
        corpus.add(StunTestBytes.hex(Rfc5769VectorsTest.IPV4_RESPONSE));
        corpus.add(StunTestBytes.hex(Rfc5769VectorsTest.IPV6_RESPONSE));
        corpus.add(StunTestBytes.hex(Rfc5769VectorsTest.LONG_TERM_REQUEST));
        corpus.add(StunTestBytes.hex(Rfc5769VectorsTest.RFC8489_SHA256_REQUEST));
        StunMessageWriter writer = new StunMessageWriter();
        StunIntegrity key = StunIntegrity.shortTerm(Rfc5769VectorsTest.SHORT_TERM_PASSWORD);
        ByteBuf buf = Unpooled.buffer();
        try {
            writer.bindingRequest(buf, Rfc5769VectorsTest.TRANSACTION_ID, "abcd:efgh", 1234, false, 99, true, key);
            corpus.add(take(buf));
            writer.begin(buf, StunMessageType.BINDING_REQUEST, Rfc5769VectorsTest.TRANSACTION_ID).username("x:y")
                    .messageIntegrity(key).messageIntegritySha256(key).finish(true);
            corpus.add(take(buf));
            StunMessage req = new StunMessage();
            req.wrap(Unpooled.wrappedBuffer(corpus.get(0)));
            writer.bindingSuccess(buf, req, new InetSocketAddress(InetAddress.getByName("2001:db8::5"), 9), key);
            corpus.add(take(buf));
            writer.errorResponse(buf, req, 487, "Role Conflict", key);
            corpus.add(take(buf));
        } finally {
            buf.release();
        }
        return corpus;
    }

    private static byte[] take(ByteBuf buf) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.clear();
        return bytes;
    }

    @Test
    void hostileInputNeverEscapes() throws Exception {
        List<byte[]> corpus = corpus();
        SplittableRandom random = new SplittableRandom(0x5EED_0001L);
        ByteBuf buf = Unpooled.buffer(2048);
        int validCount = 0;
        int singleFlipsWrapped = 0;
        try {
            for (int i = 0; i < CASES; i++) {
                byte[] base = corpus.get(random.nextInt(corpus.size()));
                byte[] input;
                boolean singleFlip = false;
                switch (random.nextInt(5)) {
                    case 0 -> {
                        input = new byte[random.nextInt(160)];
                        for (int j = 0; j < input.length; j++) {
                            input[j] = (byte) random.nextInt(256);
                        }
                        if (input.length >= 20 && random.nextBoolean()) {
                            input[0] &= 0x01;
                            input[2] = (byte) ((input.length - 20) >> 8);
                            input[3] = (byte) ((input.length - 20) & 0xFC);
                            input[4] = 0x21;
                            input[5] = 0x12;
                            input[6] = (byte) 0xa4;
                            input[7] = 0x42;
                        }
                    }
                    case 1 -> input = java.util.Arrays.copyOf(base, random.nextInt(base.length + 1));
                    case 2 -> {
                        input = base.clone();
                        int bit = random.nextInt(input.length * 8);
                        input[bit / 8] ^= (byte) (1 << (bit % 8));
                        singleFlip = true;
                    }
                    case 3 -> {
                        input = base.clone();
                        int flips = 2 + random.nextInt(6);
                        for (int f = 0; f < flips; f++) {
                            int bit = random.nextInt(input.length * 8);
                            input[bit / 8] ^= (byte) (1 << (bit % 8));
                        }
                    }
                    default -> {
                        // Tamper with an attribute length field, keeping the header length consistent.
                        input = base.clone();
                        int at = 20 + 4 * random.nextInt(Math.max(1, (input.length - 20) / 4));
                        if (at + 3 < input.length) {
                            input[at + 2] = (byte) random.nextInt(256);
                            input[at + 3] = (byte) random.nextInt(256);
                        }
                    }
                }
                int offset = random.nextInt(8);
                buf.clear();
                buf.writeZero(offset);
                buf.writeBytes(input);
                buf.writeZero(random.nextInt(4));
                boolean wrapped = message.wrap(buf, offset, input.length);
                if (!wrapped) {
                    assertThat(message.invalidReason()).isNotNull();
                    continue;
                }
                validCount++;
                exercise(offset, input.length);
                boolean hasFingerprint = message.fingerprintPosition() >= 0;
                boolean fingerprintOk = fingerprint.verify(message);
                if (singleFlip && hasFingerprint) {
                    singleFlipsWrapped++;
                    assertThat(fingerprintOk).as("case %d: a flipped bit passed FINGERPRINT", i).isFalse();
                }
            }
        } finally {
            buf.release();
        }
        assertThat(validCount).as("enough inputs reach the attribute readers").isGreaterThan(CASES / 20);
        assertThat(singleFlipsWrapped).isGreaterThan(1000);
    }

    private void exercise(int offset, int length) {
        int end = offset + length;
        int count = 0;
        for (int p = message.firstAttribute(); p >= 0; p = message.nextAttribute(p)) {
            assertThat(p).isBetween(offset + 20, end - 4);
            assertThat(message.attributeValueOffset(p) + message.attributeLength(p)).isLessThanOrEqualTo(end);
            message.attributeType(p);
            count++;
        }
        assertThat(count).isLessThanOrEqualTo((length - 20) / 4);
        for (int type : TYPES) {
            int p = message.find(type);
            assertThat(p).isLessThan(end);
        }
        message.priority();
        message.tieBreaker(StunAttribute.ICE_CONTROLLING);
        message.hasTieBreaker(StunAttribute.ICE_CONTROLLED);
        message.errorCode();
        message.errorReason();
        message.xorMappedAddress();
        message.usernameEquals(new byte[] {'a', ':', 'b'});
        message.usernameStartsWith(new byte[] {'e', 'v'});
        message.attributeString(StunAttribute.SOFTWARE);
        StunMessages.localUfrag(message);
        StunMessages.isStun(message.buffer(), offset);
        integrity.verify(message);
        integrity.verifySha1(message);
        integrity.verifySha256(message);
        message.isBindingRequest();
        message.method();
        message.messageClass();
    }
}
