package org.sluice.core.peer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.rtcp.FirView;
import org.sluice.rtp.rtcp.PliView;
import org.sluice.rtp.rtcp.ReportBlock;
import org.sluice.rtp.rtcp.ReportWriter;
import org.sluice.rtp.rtcp.SdesWriter;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@link RtcpLeg} reads from a publisher's and a viewer's compound RTCP. */
class RtcpLegTest {

    private final RtcpLeg leg = new RtcpLeg(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), () -> 0L, "sluice");
    private final ByteBuf compound = Unpooled.buffer(512);
    private final List<String> seen = new ArrayList<>();

    @AfterEach
    void release() {
        compound.release();
    }

    @Test
    void readsEverySenderReportInACompound() {
        long ntp = 0xE1234567_89ABCDEFL;
        ReportWriter.writeSenderReport(compound, 0x1111, ntp, 90_000, 10, 1000, List.of());
        SdesWriter.writeCname(compound, 0x1111, "publisher");
        ReportWriter.writeSenderReport(compound, 0x2222, ntp + (1L << 32), 48_000, 20, 2000,
                List.of(new ReportBlock(0x9999, 0, 0, 100, 0, 0, 0)));

        leg.readSenderReports(compound, (ssrc, rtp, middle) -> seen.add(
                Long.toHexString(ssrc) + " " + rtp + " " + Long.toHexString(middle)));

        assertThat(seen).containsExactly("1111 90000 456789ab", "2222 48000 456889ab");
    }

    @Test
    void readsPliAndEveryFirEntryAndIgnoresTheRest() {
        ReportWriter.writeReceiverReport(compound, 0x7777, List.of());
        PliView.write(compound, 0x7777, 0xAAAA);
        FirView.write(compound, 0x7777, new long[] {0xBBBB, 0xCCCC}, new int[] {1, 2});
        SdesWriter.writeCname(compound, 0x7777, "viewer");

        leg.readKeyframeRequests(compound, ssrc -> seen.add(Long.toHexString(ssrc)));

        assertThat(seen).containsExactly("aaaa", "bbbb", "cccc");
    }

    @Test
    void garbageYieldsNothingAndThrowsNothing() {
        compound.writeBytes(new byte[] {(byte) 0x81, (byte) 200, 0x00, 0x40, 1, 2, 3});
        leg.readSenderReports(compound, (ssrc, rtp, middle) -> seen.add("sr"));
        leg.readKeyframeRequests(compound, ssrc -> seen.add("kf"));
        assertThat(seen).isEmpty();
    }
}
