package org.sluice.core.peer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.rtcp.ReportWriter;
import org.sluice.rtp.rtcp.RtcpCompoundIterator;
import org.sluice.rtp.rtcp.RtcpPacketType;
import org.sluice.rtp.rtcp.XrView;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * RFC 3611 round trips on a leg: the peer's RRTR is answered with a DLRR in our next report, our RRTR's DLRR answer
 * gives a round trip, and hostile XR input gives nothing and throws nothing.
 */
class RtcpLegXrTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private final long[] nanos = {5_000_000_000L};
    private final RtcpLeg leg = new RtcpLeg(Clock.fixed(NOW, ZoneOffset.UTC), () -> nanos[0], "sluice");
    private final ByteBuf in = Unpooled.buffer(256);
    private final ByteBuf out = Unpooled.buffer(256);
    private final List<String> seen = new ArrayList<>();
    private final RtcpHandler handler = new RtcpHandler() {
        @Override
        public void onDelaySinceLastReceiverReport(long ssrc, long roundTripNanos) {
            seen.add(Long.toHexString(ssrc) + " " + (roundTripNanos < 0 ? "none" : roundTripNanos / 1_000 + " us"));
        }
    };

    @AfterEach
    void release() {
        in.release();
        out.release();
    }

    /**
     * An RR and an XR with an RRTR (RFC 3611 §4.4) from SSRC 0x11223344, byte by byte: V=2 P=0 RC=0 PT=201 length 1;
     * V=2 PT=207 length 4, SSRC, BT=4, reserved, block length 2, NTP 0xE1234567_89ABCDEF.
     */
    private static final byte[] RR_AND_RRTR = ByteBufUtil.decodeHexDump(
            "80c90001" + "11223344"
            + "80cf0004" + "11223344" + "04000002" + "e1234567" + "89abcdef");

    @Test
    void thePeersRrtrIsAnsweredOnceWithADlrrThatCarriesItsMiddleBitsAndTheDelay() {
        in.writeBytes(RR_AND_RRTR);
        leg.read(in, handler);
        nanos[0] += 250_000_000L; // our next report goes 250 ms later

        leg.writeExtendedReports(out, 0xCAFEBABEL, nanos[0], false);
        // V=2 PT=207 length 5, our SSRC, BT=5, reserved, block length 3, SSRC_1, LRR = middle 32 bits, DLRR = 0.25 s
        assertThat(ByteBufUtil.hexDump(out)).isEqualTo("80cf0005" + "cafebabe" + "05000003" + "11223344"
                + "456789ab" + "00004000");

        out.clear();
        leg.writeExtendedReports(out, 0xCAFEBABEL, nanos[0], false);
        assertThat(out.readableBytes()).as("answered once").isZero();
    }

    @Test
    void ourRrtrGoesInReceiverReportsOnlyWhenAskedFor() {
        leg.writeExtendedReports(out, 0x0A0B0C0DL, nanos[0], true);
        assertThat(out.readableBytes()).isZero();

        leg.sendReceiverReferenceTime(true);
        leg.writeExtendedReports(out, 0x0A0B0C0DL, nanos[0], true);
        XrView xr = new XrView();
        assertThat(xr.wrap(out, 0, out.readableBytes())).isTrue();
        assertThat(xr.senderSsrc()).isEqualTo(0x0A0B0C0DL);
        assertThat(xr.findRrtr()).isTrue();
        assertThat(xr.rrtrNtpMiddle32()).isEqualTo(NtpTime.middle32(NtpTime.fromUnixMillis(NOW.toEpochMilli())));

        out.clear();
        leg.writeExtendedReports(out, 0x0A0B0C0DL, nanos[0], false);
        assertThat(out.readableBytes()).as("not in sender reports").isZero();
    }

    @Test
    void aDlrrAnsweringOurRrtrGivesTheRoundTrip() {
        long now = NtpTime.middle32(NtpTime.fromUnixMillis(NOW.toEpochMilli()));
        long lastRr = (now - 65536 / 10) & 0xFFFFFFFFL; // our RRTR left 100 ms ago
        long delay = 65536 * 30 / 1000; // the peer held it 30 ms
        ReportWriter.writeReceiverReport(in, 0x5555, List.of());
        in.writeBytes(ByteBufUtil.decodeHexDump("80cf0008" + "00005555" + "05000006"
                + "0a0b0c0d" + String.format("%08x", lastRr) + String.format("%08x", delay)
                + "01020304" + "00000000" + "00000000"));
        leg.read(in, handler);
        // (6553 − 1966) / 65536 s: 100 ms − 30 ms to 1/65536 s; nothing for the sub-block that names no RRTR (LRR 0)
        assertThat(seen).containsExactly("a0b0c0d 69992 us", "1020304 none");
    }

    @Test
    void hostileExtendedReportsGiveNothingAndThrowNothing() {
        byte[] valid = ByteBufUtil.decodeHexDump("80c90001" + "11223344" + "80cf0008" + "00005555" + "05000006"
                + "0a0b0c0d" + "11111111" + "00000100" + "01020304" + "22222222" + "00000200"
                + "80cf0004" + "11223344" + "04000002" + "e1234567" + "89abcdef");
        SplittableRandom random = new SplittableRandom(3611);
        for (int round = 0; round < 20_000; round++) {
            byte[] mutated = valid.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            }
            int length = random.nextInt(mutated.length + 1);
            ByteBuf buf = Unpooled.wrappedBuffer(mutated, 0, length);
            assertThatCode(() -> {
                leg.read(buf, handler);
                ByteBuf answer = Unpooled.buffer(64);
                try {
                    leg.writeExtendedReports(answer, 1, nanos[0], true);
                    assertThat(wellFormed(answer)).isTrue();
                } finally {
                    answer.release();
                }
            }).doesNotThrowAnyException();
        }
    }

    /** Whatever we write is a well-formed sequence of XR packets. */
    private static boolean wellFormed(ByteBuf compound) {
        if (compound.readableBytes() == 0) {
            return true;
        }
        RtcpCompoundIterator it = new RtcpCompoundIterator();
        XrView xr = new XrView();
        if (!it.wrap(compound)) {
            return false;
        }
        while (it.next()) {
            if (it.packetType() != RtcpPacketType.XR || !xr.wrap(compound, it.offset(), it.length())) {
                return false;
            }
        }
        return true;
    }
}
