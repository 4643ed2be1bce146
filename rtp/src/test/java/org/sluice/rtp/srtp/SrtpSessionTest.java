package org.sluice.rtp.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sluice.rtp.srtp.SrtpTestPackets.bytes;
import static org.sluice.rtp.srtp.SrtpTestPackets.direct;
import static org.sluice.rtp.srtp.SrtpTestPackets.heap;
import static org.sluice.rtp.srtp.SrtpTestPackets.rtcp;
import static org.sluice.rtp.srtp.SrtpTestPackets.rtp;

/** Round trips, rollover, replay, tampering, truncation and stream limits of {@link SrtpSession}. */
class SrtpSessionTest {

    private final List<ByteBuf> buffers = new ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void release() {
        buffers.forEach(ByteBuf::release);
    }

    static byte[] key(SrtpProfile profile) {
        byte[] k = new byte[profile.masterKeyLength()];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (i * 7 + 1);
        }
        return k;
    }

    static byte[] salt(SrtpProfile profile) {
        byte[] s = new byte[profile.masterSaltLength()];
        for (int i = 0; i < s.length; i++) {
            s[i] = (byte) (0xa0 + i);
        }
        return s;
    }

    static SrtpSession session(SrtpProfile profile) {
        return new SrtpSession(profile, key(profile), salt(profile));
    }

    private ByteBuf track(ByteBuf b) {
        buffers.add(b);
        return b;
    }

    private ByteBuf protect(SrtpSession sender, byte[] plain) {
        ByteBuf out = track(Unpooled.buffer(plain.length + 32));
        assertThat(sender.protectRtp(track(heap(plain, 0)), out)).isEqualTo(SrtpResult.OK);
        return out;
    }

    private ByteBuf protectRtcp(SrtpSession sender, byte[] plain) {
        ByteBuf out = track(Unpooled.buffer(plain.length + 32));
        assertThat(sender.protectRtcp(track(heap(plain, 0)), out)).isEqualTo(SrtpResult.OK);
        return out;
    }

    private ByteBuf copy(ByteBuf b) {
        return track(b.copy());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtpRoundTripWithCsrcsAndExtension(SrtpProfile profile) {
        SrtpSession sender = session(profile);
        SrtpSession receiver = session(profile);
        for (int seq = 100; seq < 140; seq++) {
            byte[] plain = rtp(0x11223344, seq, seq * 3000L, seq % 3, seq % 2 == 0, seq * 7 % 1300, seq);
            ByteBuf srtp = protect(sender, plain);
            assertThat(srtp.readableBytes()).isEqualTo(plain.length + sender.rtpOverhead());
            assertThat(bytes(srtp)).isNotEqualTo(plain);
            assertThat(receiver.unprotectRtp(srtp)).isEqualTo(SrtpResult.OK);
            assertThat(bytes(srtp)).isEqualTo(plain);
        }
        assertThat(receiver.streamCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void directBuffersGiveTheSameBytes(SrtpProfile profile) {
        SrtpSession heapSender = session(profile);
        SrtpSession directSender = session(profile);
        SrtpSession receiver = session(profile);
        for (int seq = 0; seq < 10; seq++) {
            byte[] plain = rtp(7, seq, seq, 1, true, 1200, seq);
            ByteBuf viaHeap = protect(heapSender, plain);
            ByteBuf viaDirect = track(Unpooled.directBuffer(1400));
            assertThat(directSender.protectRtp(track(direct(plain, 0)), viaDirect)).isEqualTo(SrtpResult.OK);
            assertThat(bytes(viaDirect)).isEqualTo(bytes(viaHeap));
            assertThat(receiver.unprotectRtp(viaDirect)).isEqualTo(SrtpResult.OK);
            assertThat(bytes(viaDirect)).isEqualTo(plain);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void forwardingPathAndInPlaceMatchTheCopyingProtect(SrtpProfile profile) {
        SrtpSession copying = session(profile);
        SrtpSession forwarding = session(profile);
        SrtpSession inPlace = session(profile);
        SrtpSession forwardingDirect = session(profile);
        for (int seq = 65530; seq < 65546; seq++) {
            byte[] plain = rtp(99, seq & 0xffff, seq, 0, seq % 2 == 1, 900, seq);
            int headerLength = SrtpHeaders.rtpHeaderLength(Unpooled.wrappedBuffer(plain), 0, plain.length);
            byte[] expected = bytes(protect(copying, plain));

            // Header already in the egress buffer, payload from the ingress buffer at an offset.
            ByteBuf ingress = track(Unpooled.buffer(2000));
            ingress.writeZero(40).writeBytes(plain);
            ByteBuf egress = track(Unpooled.buffer(64));
            egress.writeByte(0xff).readerIndex(1).writeBytes(plain, 0, headerLength);
            assertThat(forwarding.protectRtp(egress, headerLength, ingress, 40 + headerLength,
                    plain.length - headerLength)).isEqualTo(SrtpResult.OK);
            assertThat(bytes(egress)).isEqualTo(expected);

            ByteBuf directEgress = track(Unpooled.directBuffer(64).writeBytes(plain, 0, headerLength));
            ByteBuf directIngress = track(direct(plain, 0));
            assertThat(forwardingDirect.protectRtp(directEgress, headerLength, directIngress, headerLength,
                    plain.length - headerLength)).isEqualTo(SrtpResult.OK);
            assertThat(bytes(directEgress)).isEqualTo(expected);

            ByteBuf packet = track(heap(plain, 0));
            assertThat(inPlace.protectRtpInPlace(packet)).isEqualTo(SrtpResult.OK);
            assertThat(bytes(packet)).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtcpRoundTripAlwaysEncrypted(SrtpProfile profile) {
        SrtpSession sender = session(profile);
        SrtpSession receiver = session(profile);
        for (int i = 0; i < 20; i++) {
            byte[] plain = rtcp(0xcafe0000 + i % 3, i);
            ByteBuf srtcp = protectRtcp(sender, plain);
            assertThat(srtcp.readableBytes()).isEqualTo(plain.length + sender.rtcpOverhead());
            int eIndex = srtcp.getInt(srtcp.writerIndex() - (profile.isAead() ? 4 : 14));
            assertThat(eIndex).isEqualTo(0x8000_0000 | (i / 3));
            assertThat(bytes(srtcp.slice(8, plain.length - 8))).isNotEqualTo(
                    java.util.Arrays.copyOfRange(plain, 8, plain.length));
            assertThat(receiver.unprotectRtcp(srtcp)).isEqualTo(SrtpResult.OK);
            assertThat(bytes(srtcp)).isEqualTo(plain);
        }
        ByteBuf direct = track(Unpooled.directBuffer(200));
        byte[] plain = rtcp(5, 5);
        assertThat(sender.protectRtcp(track(direct(plain, 0)), direct)).isEqualTo(SrtpResult.OK);
        assertThat(receiver.unprotectRtcp(direct)).isEqualTo(SrtpResult.OK);
        assertThat(bytes(direct)).isEqualTo(plain);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void sequenceWrapIncrementsTheRolloverCounter(SrtpProfile profile) {
        SrtpSession sender = session(profile);
        SrtpSession receiver = session(profile);
        // Through two wraps: ROC 0 -> 1 -> 2, with some reordering around the wrap.
        int[] order = new int[]{65530, 65531, 65533, 65532, 65534, 65535, 1, 0, 2, 3};
        for (int lap = 0; lap < 2; lap++) {
            for (int seq : order) {
                byte[] plain = rtp(1, seq, seq, 0, false, 50, seq);
                ByteBuf srtp = protect(sender, plain);
                assertThat(receiver.unprotectRtp(srtp)).as("lap %d seq %d", lap, seq).isEqualTo(SrtpResult.OK);
                assertThat(bytes(srtp)).isEqualTo(plain);
            }
            for (int seq = 4; seq < 65530; seq += 1000) { // march forward without passing the window
                ByteBuf srtp = protect(sender, rtp(1, seq, seq, 0, false, 10, seq));
                assertThat(receiver.unprotectRtp(srtp)).isEqualTo(SrtpResult.OK);
            }
        }
        // A receiver that assumed ROC 0 throughout would fail here: the index is 2·65536 + 3.
        SrtpSession wrongRoc = session(profile);
        ByteBuf late = protect(sender, rtp(1, 65529, 0, 0, false, 10, 0));
        assertThat(wrongRoc.unprotectRtp(copy(late))).isEqualTo(SrtpResult.AUTH_FAILED);
        assertThat(receiver.unprotectRtp(late)).isEqualTo(SrtpResult.OK);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void receiverJoiningNearTheWrapEstimatesTheRolloverCounter(SrtpProfile profile) {
        SrtpSession sender = session(profile);
        for (int seq = 65000; seq < 65534; seq++) {
            protect(sender, rtp(2, seq, 0, 0, false, 10, seq));
        }
        SrtpSession receiver = session(profile); // joins at 65534 with ROC 0
        for (int seq : new int[]{65534, 65535, 0, 1, 65533, 2}) {
            ByteBuf srtp = protect(sender, rtp(2, seq, 0, 0, false, 10, seq));
            assertThat(receiver.unprotectRtp(srtp)).as("seq %d", seq).isEqualTo(SrtpResult.OK);
        }
    }

    @Test
    void indexEstimationFollowsRfc3711AppendixA() {
        assertThat(SrtpStream.estimateIndex(-1, 5)).isEqualTo(5);
        assertThat(SrtpStream.estimateIndex(65535, 0)).isEqualTo(65536);
        assertThat(SrtpStream.estimateIndex(65536 + 2, 65535)).isEqualTo(65535);
        assertThat(SrtpStream.estimateIndex(65536 + 100, 200)).isEqualTo(65536 + 200);
        assertThat(SrtpStream.estimateIndex(3 * 65536 + 40000, 1000)).isEqualTo(4 * 65536 + 1000);
        assertThat(SrtpStream.estimateIndex(10, 60000)).isEqualTo(-1);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void replayedAndTooOldPacketsAreRefused(SrtpProfile profile) {
        SrtpSession sender = session(profile);
        SrtpSession receiver = session(profile);
        List<ByteBuf> sent = new ArrayList<>();
        for (int seq = 1000; seq < 1300; seq++) {
            sent.add(protect(sender, rtp(3, seq, 0, 0, false, 20, seq)));
        }
        // Deliver all but 1150 and 1250.
        List<ByteBuf> kept = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            kept.add(copy(sent.get(i)));
            if (i != 150 && i != 250) {
                assertThat(receiver.unprotectRtp(sent.get(i))).isEqualTo(SrtpResult.OK);
            }
        }
        assertThat(receiver.unprotectRtp(copy(kept.get(299)))).isEqualTo(SrtpResult.REPLAYED);
        assertThat(receiver.unprotectRtp(copy(kept.get(200)))).isEqualTo(SrtpResult.REPLAYED);
        assertThat(receiver.unprotectRtp(copy(kept.get(150)))).isEqualTo(SrtpResult.TOO_OLD);
        assertThat(receiver.unprotectRtp(copy(kept.get(250)))).isEqualTo(SrtpResult.OK); // late, in window
        assertThat(receiver.unprotectRtp(copy(kept.get(250)))).isEqualTo(SrtpResult.REPLAYED);
        assertThat(receiver.replayRefusals()).isEqualTo(4);

        SrtpSession rtcpSender = session(profile);
        ByteBuf first = protectRtcp(rtcpSender, rtcp(9, 1));
        ByteBuf firstAgain = copy(first);
        assertThat(receiver.unprotectRtcp(first)).isEqualTo(SrtpResult.OK);
        assertThat(receiver.unprotectRtcp(firstAgain)).isEqualTo(SrtpResult.REPLAYED);
        for (int i = 0; i < 200; i++) {
            assertThat(receiver.unprotectRtcp(protectRtcp(rtcpSender, rtcp(9, i)))).isEqualTo(SrtpResult.OK);
        }
        assertThat(receiver.unprotectRtcp(copy(firstAgain))).isEqualTo(SrtpResult.TOO_OLD);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void tamperedPacketsAreRejectedAndLeaveStateUntouched(SrtpProfile profile) {
        SrtpSession sender = session(profile);
        SrtpSession receiver = session(profile);
        byte[] plain = rtp(4, 500, 0, 1, true, 100, 1);
        ByteBuf good = protect(sender, plain);
        int length = good.readableBytes();
        int[] positions = {length - 1, 1, 5, 13, 25, length - sender.rtpOverhead() - 1};
        for (int position : positions) {
            ByteBuf bad = copy(good);
            bad.setByte(position, bad.getByte(position) ^ 0x01);
            assertThat(receiver.unprotectRtp(bad)).as("flip at %d", position).isEqualTo(SrtpResult.AUTH_FAILED);
        }
        // Header sequence number changed to a far index: still an authentication failure, ROC unchanged.
        ByteBuf far = copy(good);
        far.setShort(2, 40000);
        assertThat(receiver.unprotectRtp(far)).isEqualTo(SrtpResult.AUTH_FAILED);
        assertThat(receiver.streamCount()).isZero();
        assertThat(receiver.authFailures()).isEqualTo(positions.length + 1);

        assertThat(receiver.unprotectRtp(copy(good))).isEqualTo(SrtpResult.OK);
        ByteBuf next = protect(sender, rtp(4, 501, 0, 0, false, 10, 2));
        assertThat(receiver.unprotectRtp(next)).isEqualTo(SrtpResult.OK);

        ByteBuf rtcpGood = protectRtcp(sender, rtcp(4, 3));
        for (int position : new int[]{2, 6, 10, rtcpGood.readableBytes() - 1, rtcpGood.readableBytes() - 6}) {
            ByteBuf bad = copy(rtcpGood);
            bad.setByte(position, bad.getByte(position) ^ 0x80);
            assertThat(receiver.unprotectRtcp(bad)).as("rtcp flip at %d", position)
                    .isIn(SrtpResult.AUTH_FAILED, SrtpResult.MALFORMED);
        }
        assertThat(receiver.unprotectRtcp(rtcpGood)).isEqualTo(SrtpResult.OK);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void truncatedPacketsAreMalformedOrUnauthentic(SrtpProfile profile) {
        SrtpSession sender = session(profile);
        SrtpSession receiver = session(profile);
        ByteBuf good = protect(sender, rtp(5, 1, 0, 2, true, 30, 1));
        for (int length = 0; length < good.readableBytes(); length++) {
            ByteBuf cut = copy(good.slice(0, length));
            assertThat(receiver.unprotectRtp(cut)).isIn(SrtpResult.MALFORMED, SrtpResult.AUTH_FAILED);
        }
        ByteBuf rtcpGood = protectRtcp(sender, rtcp(5, 1));
        for (int length = 0; length < rtcpGood.readableBytes(); length++) {
            ByteBuf cut = copy(rtcpGood.slice(0, length));
            assertThat(receiver.unprotectRtcp(cut)).isIn(SrtpResult.MALFORMED, SrtpResult.AUTH_FAILED);
        }
        assertThat(receiver.streamCount()).isZero();
        assertThat(receiver.unprotectRtp(good)).isEqualTo(SrtpResult.OK);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void streamLimitRefusesNewSsrcsAndCountsThem(SrtpProfile profile) {
        SrtpSessionConfig config = new SrtpSessionConfig(3, 64);
        SrtpSession sender = new SrtpSession(profile, key(profile), salt(profile), SrtpSessionConfig.DEFAULT);
        SrtpSession receiver = new SrtpSession(profile, key(profile), salt(profile), config);
        for (int ssrc = 1; ssrc <= 3; ssrc++) {
            assertThat(receiver.unprotectRtp(protect(sender, rtp(ssrc, 1, 0, 0, false, 10, 1))))
                    .isEqualTo(SrtpResult.OK);
        }
        assertThat(receiver.unprotectRtp(protect(sender, rtp(4, 1, 0, 0, false, 10, 1))))
                .isEqualTo(SrtpResult.STREAM_LIMIT);
        assertThat(receiver.unprotectRtcp(protectRtcp(sender, rtcp(5, 1)))).isEqualTo(SrtpResult.STREAM_LIMIT);
        assertThat(receiver.unprotectRtp(protect(sender, rtp(2, 2, 0, 0, false, 10, 1)))).isEqualTo(SrtpResult.OK);
        assertThat(receiver.unprotectRtcp(protectRtcp(sender, rtcp(2, 1)))).isEqualTo(SrtpResult.OK);
        assertThat(receiver.streamLimitRefusals()).isEqualTo(2);
        assertThat(receiver.streamCount()).isEqualTo(3);

        SrtpSession limitedSender = new SrtpSession(profile, key(profile), salt(profile), new SrtpSessionConfig(1, 64));
        ByteBuf out = track(Unpooled.buffer(100));
        assertThat(limitedSender.protectRtp(track(heap(rtp(1, 1, 0, 0, false, 10, 1), 0)), out)).isEqualTo(SrtpResult.OK);
        int written = out.writerIndex();
        assertThat(limitedSender.protectRtp(track(heap(rtp(2, 1, 0, 0, false, 10, 1), 0)), out))
                .isEqualTo(SrtpResult.STREAM_LIMIT);
        assertThat(out.writerIndex()).isEqualTo(written);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void retiredStreamsFreeTheirPlaceSoThousandsOfSsrcsComeAndGoUnderASmallLimit(SrtpProfile profile) {
        SrtpSessionConfig config = new SrtpSessionConfig(4, 64);
        SrtpSession sender = new SrtpSession(profile, key(profile), salt(profile), config);
        SrtpSession receiver = new SrtpSession(profile, key(profile), salt(profile), config);
        for (int ssrc = 1; ssrc <= 2000; ssrc++) {
            ByteBuf srtp = protect(sender, rtp(ssrc, 7, 0, 0, false, 10, ssrc));
            assertThat(receiver.unprotectRtp(srtp)).as("ssrc %d", ssrc).isEqualTo(SrtpResult.OK);
            assertThat(receiver.unprotectRtcp(protectRtcp(sender, rtcp(ssrc, 1)))).isEqualTo(SrtpResult.OK);
            assertThat(sender.retireStream(ssrc)).isTrue();
            assertThat(receiver.retireStream(ssrc)).isTrue();
        }
        assertThat(sender.streamLimitRefusals()).isZero();
        assertThat(receiver.streamLimitRefusals()).isZero();
        assertThat(sender.streamCount()).isZero();
        assertThat(receiver.streamCount()).isZero();
        assertThat(receiver.retiredStreamCount()).as("retired state is bounded by the limit").isEqualTo(4);
        assertThat(sender.retireStream(1)).as("already retired and forgotten").isFalse();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aRetiredSsrcThatReturnsContinuesItsIndexAndRefusesReplays(SrtpProfile profile) {
        SrtpSessionConfig config = new SrtpSessionConfig(2, 64);
        SrtpSession sender = new SrtpSession(profile, key(profile), salt(profile), config);
        SrtpSession receiver = new SrtpSession(profile, key(profile), salt(profile), config);
        // Past a sequence number wrap: the rollover counter is 1 when the stream retires.
        ByteBuf old = null;
        for (int i = 0; i < 10; i++) {
            int seq = (65530 + i) & 0xFFFF;
            ByteBuf srtp = protect(sender, rtp(9, seq, 0, 0, false, 10, i));
            old = copy(srtp);
            assertThat(receiver.unprotectRtp(srtp)).isEqualTo(SrtpResult.OK);
        }
        ByteBuf oldRtcp = protectRtcp(sender, rtcp(9, 1));
        ByteBuf oldRtcpCopy = copy(oldRtcp);
        assertThat(receiver.unprotectRtcp(oldRtcp)).isEqualTo(SrtpResult.OK);
        sender.retireStream(9);
        receiver.retireStream(9);
        // Other streams use the free places meanwhile.
        for (int ssrc = 20; ssrc < 22; ssrc++) {
            assertThat(receiver.unprotectRtp(protect(sender, rtp(ssrc, 1, 0, 0, false, 10, 1))))
                    .isEqualTo(SrtpResult.OK);
        }
        assertThat(receiver.unprotectRtp(copy(old))).as("a full session refuses a retired SSRC")
                .isEqualTo(SrtpResult.STREAM_LIMIT);
        sender.retireStream(20);
        receiver.retireStream(20);
        assertThat(receiver.unprotectRtp(old)).as("a replay of the retired stream").isEqualTo(SrtpResult.REPLAYED);
        assertThat(receiver.unprotectRtcp(oldRtcpCopy)).isEqualTo(SrtpResult.REPLAYED);
        // The sender continues with rollover counter 1: a receiver with fresh state (ROC 0) cannot decrypt it,
        // the one that kept the retired state can.
        ByteBuf next = protect(sender, rtp(9, 4, 0, 0, false, 10, 99));
        SrtpSession fresh = new SrtpSession(profile, key(profile), salt(profile), config);
        assertThat(fresh.unprotectRtp(copy(next))).isEqualTo(SrtpResult.AUTH_FAILED);
        assertThat(receiver.unprotectRtp(next)).isEqualTo(SrtpResult.OK);
        assertThat(receiver.unprotectRtcp(protectRtcp(sender, rtcp(9, 1)))).as("SRTCP index 1, not 0 again")
                .isEqualTo(SrtpResult.OK);
        assertThat(receiver.streamCount()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void theStreamSentOnLastIsLookedUpAgainOnceRetired(SrtpProfile profile) {
        SrtpSessionConfig config = new SrtpSessionConfig(1, 64);
        SrtpSession session = new SrtpSession(profile, key(profile), salt(profile), config);
        SrtpSession peer = new SrtpSession(profile, key(profile), salt(profile), new SrtpSessionConfig(8, 64));
        assertThat(peer.unprotectRtp(protect(session, rtp(6, 1, 0, 0, false, 10, 1)))).isEqualTo(SrtpResult.OK);
        session.retireStream(6);
        // The session's one active place goes to a stream it receives, not one it sends.
        assertThat(session.unprotectRtp(protect(peer, rtp(7, 1, 0, 0, false, 10, 1)))).isEqualTo(SrtpResult.OK);
        ByteBuf out = track(Unpooled.buffer(256));
        assertThat(session.protectRtp(track(heap(rtp(6, 2, 0, 0, false, 10, 2), 0)), out))
                .as("the retired stream it last sent on may not come back past the limit")
                .isEqualTo(SrtpResult.STREAM_LIMIT);
        session.retireStream(7);
        assertThat(peer.unprotectRtp(protect(session, rtp(6, 3, 0, 0, false, 10, 3)))).as("revived, its index kept")
                .isEqualTo(SrtpResult.OK);
        assertThat(session.protectRtp(track(heap(rtp(8, 1, 0, 0, false, 10, 1), 0)), out))
                .as("another SSRC while 6 is active").isEqualTo(SrtpResult.STREAM_LIMIT);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void differentKeysDoNotAuthenticate(SrtpProfile profile) {
        byte[] otherKey = key(profile);
        otherKey[0] ^= 1;
        SrtpSession sender = new SrtpSession(profile, otherKey, salt(profile));
        SrtpSession receiver = session(profile);
        assertThat(receiver.unprotectRtp(protect(sender, rtp(1, 1, 0, 0, false, 10, 1))))
                .isEqualTo(SrtpResult.AUTH_FAILED);
        assertThat(receiver.unprotectRtcp(protectRtcp(sender, rtcp(1, 1)))).isEqualTo(SrtpResult.AUTH_FAILED);
    }

    @Test
    void protectRefusesWhatItCannotProtect() {
        SrtpSession sender = session(SrtpProfile.AEAD_AES_128_GCM);
        ByteBuf fixed = track(Unpooled.buffer(20, 20));
        assertThat(sender.protectRtp(track(heap(rtp(1, 1, 0, 0, false, 10, 1), 0)), fixed))
                .isEqualTo(SrtpResult.NO_ROOM);
        ByteBuf notRtp = track(heap(new byte[]{0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0));
        assertThat(sender.protectRtp(notRtp, track(Unpooled.buffer(64)))).isEqualTo(SrtpResult.MALFORMED);
        assertThat(sender.protectRtcp(track(heap(new byte[4], 0)), track(Unpooled.buffer(64))))
                .isEqualTo(SrtpResult.MALFORMED);
        ByteBuf full = track(Unpooled.buffer(22, 22).writeBytes(rtp(1, 2, 0, 0, false, 10, 1)));
        assertThat(sender.protectRtpInPlace(full)).isEqualTo(SrtpResult.NO_ROOM);
        assertThatThrownBy(() -> new SrtpSession(SrtpProfile.AEAD_AES_128_GCM, new byte[16], new byte[14]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SrtpSessionConfig(1, 100)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void replayWindowSlidesAndRemembers() {
        ReplayWindow window = new ReplayWindow(128);
        assertThat(window.check(1000)).isEqualTo(SrtpResult.OK);
        window.accept(1000);
        assertThat(window.check(1000)).isEqualTo(SrtpResult.REPLAYED);
        assertThat(window.check(873)).isEqualTo(SrtpResult.OK);
        assertThat(window.check(872)).isEqualTo(SrtpResult.TOO_OLD);
        window.accept(1130);
        assertThat(window.check(1000)).isEqualTo(SrtpResult.TOO_OLD);
        assertThat(window.check(1129)).isEqualTo(SrtpResult.OK);
        assertThat(window.check(1003)).isEqualTo(SrtpResult.OK); // bit cleared while sliding
        window.accept(1003);
        assertThat(window.check(1003)).isEqualTo(SrtpResult.REPLAYED);
        window.accept(100_000);
        assertThat(window.check(1130)).isEqualTo(SrtpResult.TOO_OLD);
        assertThat(window.check(99_990)).isEqualTo(SrtpResult.OK);
    }
}
