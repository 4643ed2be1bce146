package org.sluice.core.stun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** Writer → view round trips, on heap and pooled direct buffers, at non-zero offsets. */
class StunMessageWriterTest {

    private static final byte[] TX = StunTestBytes.hex("01 02 03 04 05 06 07 08 09 0a 0b 0c");

    private final StunMessageWriter writer = new StunMessageWriter();
    private final StunMessage message = new StunMessage();
    private final StunFingerprint fingerprint = new StunFingerprint();
    private final StunIntegrity password = StunIntegrity.shortTerm("abcdefghijklmnopqrstuvwx");

    private static ByteBuf buffer(boolean direct) {
        ByteBuf buf = direct ? ByteBufAllocator.DEFAULT.directBuffer(256) : Unpooled.buffer(256);
        buf.writeBytes(new byte[] {9, 9, 9, 9, 9}); // messages start at a non-zero offset
        return buf;
    }

    private boolean wrapWritten(ByteBuf buf, int length) {
        return message.wrap(buf, 5, length);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void bindingRequestRoundTrip(boolean direct) {
        ByteBuf buf = buffer(direct);
        try {
            int length = writer.bindingRequest(buf, TX, "loca:remo", 0x6e0001ffL, true, 0x1122334455667788L, true,
                    password);
            assertThat(length).isEqualTo(buf.writerIndex() - 5);
            assertThat(wrapWritten(buf, length)).as(message.invalidReason()).isTrue();
            assertThat(message.isBindingRequest()).isTrue();
            assertThat(message.transactionIdEquals(TX)).isTrue();
            assertThat(message.attributeString(StunAttribute.USERNAME)).isEqualTo("loca:remo");
            assertThat(message.priority()).isEqualTo(0x6e0001ffL);
            assertThat(message.tieBreaker(StunAttribute.ICE_CONTROLLING)).isEqualTo(0x1122334455667788L);
            assertThat(message.has(StunAttribute.ICE_CONTROLLED)).isFalse();
            assertThat(message.has(StunAttribute.USE_CANDIDATE)).isTrue();
            assertThat(password.verify(message)).isEqualTo(IntegrityCheck.VALID);
            assertThat(StunIntegrity.shortTerm("abcdefghijklmnopqrstuvwy").verify(message))
                    .isEqualTo(IntegrityCheck.MISMATCH);
            assertThat(fingerprint.verify(message)).isTrue();
            assertThat(StunMessages.localUfrag(message)).isEqualTo("loca");
            // A single flipped bit anywhere before FINGERPRINT breaks it.
            buf.setByte(5 + 21, buf.getByte(5 + 21) ^ 0x10);
            assertThat(fingerprint.verify(message)).isFalse();
            assertThat(password.verify(message)).isEqualTo(IntegrityCheck.MISMATCH);
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.1", "2001:db8:1234:5678:11:2233:4455:6677", "::1", "255.255.255.255"})
    void successResponseCarriesXorMappedAddress(String ip) throws Exception {
        ByteBuf request = Unpooled.buffer();
        ByteBuf response = buffer(true);
        try {
            int reqLength = writer.bindingRequest(request, TX, "a:b", 1, true, 2, false, password);
            StunMessage req = new StunMessage();
            assertThat(req.wrap(request, 0, reqLength)).isTrue();
            InetSocketAddress from = new InetSocketAddress(InetAddress.getByName(ip), 54321);
            int length = writer.bindingSuccess(response, req, from, password);
            assertThat(wrapWritten(response, length)).as(message.invalidReason()).isTrue();
            assertThat(message.messageType()).isEqualTo(StunMessageType.BINDING_SUCCESS_RESPONSE);
            assertThat(message.transactionIdEquals(req)).isTrue();
            assertThat(message.xorMappedAddress()).isEqualTo(from);
            assertThat(message.messageIntegrityPosition()).isPositive();
            assertThat(message.messageIntegritySha256Position()).isEqualTo(-1);
            assertThat(password.verify(message)).isEqualTo(IntegrityCheck.VALID);
            assertThat(fingerprint.verify(message)).isTrue();
        } finally {
            request.release();
            response.release();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void sha256IntegrityRoundTripAndResponseMirrorsIt(boolean alsoSha1) throws Exception {
        ByteBuf request = Unpooled.buffer();
        ByteBuf response = buffer(false);
        try {
            writer.begin(request, StunMessageType.BINDING_REQUEST, TX).username("a:b").priority(7);
            if (alsoSha1) {
                writer.messageIntegrity(password);
            }
            int reqLength = writer.messageIntegritySha256(password).finish(true);
            StunMessage req = new StunMessage();
            assertThat(req.wrap(request, 0, reqLength)).as(req.invalidReason()).isTrue();
            assertThat(password.verifySha256(req)).isTrue();
            assertThat(password.verifySha1(req)).isEqualTo(alsoSha1);
            assertThat(password.verify(req)).isEqualTo(IntegrityCheck.VALID);
            assertThat(new StunFingerprint().verify(req)).isTrue();

            InetSocketAddress from = new InetSocketAddress(InetAddress.getByName("198.51.100.7"), 3478);
            int length = writer.bindingSuccess(response, req, from, password);
            assertThat(wrapWritten(response, length)).isTrue();
            assertThat(message.messageIntegritySha256Position()).isPositive();
            assertThat(message.messageIntegrityPosition() >= 0).isEqualTo(alsoSha1);
            assertThat(password.verifySha256(message)).isTrue();
            assertThat(password.verifySha1(message)).isEqualTo(alsoSha1);
            assertThat(fingerprint.verify(message)).isTrue();
        } finally {
            request.release();
            response.release();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 487})
    void errorResponses(int code) {
        ByteBuf request = Unpooled.buffer();
        ByteBuf response = buffer(true);
        try {
            int reqLength = writer.bindingRequest(request, TX, "a:b", 1, false, 2, false, password);
            StunMessage req = new StunMessage();
            assertThat(req.wrap(request, 0, reqLength)).isTrue();
            StunIntegrity signer = code == 487 ? password : null;
            int length = writer.errorResponse(response, req, code, "Reason " + code, signer);
            assertThat(wrapWritten(response, length)).as(message.invalidReason()).isTrue();
            assertThat(message.messageType()).isEqualTo(StunMessageType.BINDING_ERROR_RESPONSE);
            assertThat(message.errorCode()).isEqualTo(code);
            assertThat(message.errorReason()).isEqualTo("Reason " + code);
            assertThat(message.transactionIdEquals(req)).isTrue();
            assertThat(fingerprint.verify(message)).isTrue();
            assertThat(password.verify(message))
                    .isEqualTo(signer == null ? IntegrityCheck.MISSING : IntegrityCheck.VALID);
        } finally {
            request.release();
            response.release();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 17})
    void paddingKeepsAttributesAligned(int usernameLength) {
        ByteBuf buf = buffer(false);
        try {
            String username = "u".repeat(usernameLength);
            writer.begin(buf, StunMessageType.BINDING_REQUEST, TX).username(username).software("sluice")
                    .useCandidate();
            int length = writer.messageIntegrity(password).finish(true);
            assertThat(length % 4).isZero();
            assertThat(wrapWritten(buf, length)).as(message.invalidReason()).isTrue();
            assertThat(message.attributeString(StunAttribute.USERNAME)).isEqualTo(username);
            assertThat(message.attributeString(StunAttribute.SOFTWARE)).isEqualTo("sluice");
            assertThat(password.verify(message)).isEqualTo(IntegrityCheck.VALID);
            assertThat(fingerprint.verify(message)).isTrue();
        } finally {
            buf.release();
        }
    }
}
