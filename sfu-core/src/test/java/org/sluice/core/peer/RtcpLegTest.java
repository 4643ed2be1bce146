package org.sluice.core.peer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.rtcp.FirView;
import org.sluice.rtp.rtcp.PliView;
import org.sluice.rtp.rtcp.RembView;
import org.sluice.rtp.rtcp.ReportBlock;
import org.sluice.rtp.rtcp.ReportWriter;
import org.sluice.rtp.rtcp.SdesWriter;
import org.sluice.bandwidth.gcc.GccSettings;
import org.sluice.bandwidth.gcc.GoogCcEstimator;

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

    @Test
    void aRembOnlyReceiversEstimateReachesItsEstimatorAsTheTarget() {
        // What Chrome sends without transport-cc: an RR, then a REMB (draft-alvestrand-rmcat-remb) for its SSRCs.
        ReportWriter.writeReceiverReport(compound, 0x7777, List.of());
        RembView.write(compound, 0x7777, 1_234_567, new long[] {0xAAAA, 0xBBBB});
        GoogCcEstimator estimator = new GoogCcEstimator(GccSettings.DEFAULT);
        leg.read(compound, new RtcpHandler() {
            @Override
            public void onRemb(long bitrateBps) {
                seen.add("remb " + bitrateBps);
                estimator.onRemb(bitrateBps, 0);
            }
        });
        assertThat(seen).hasSize(1);
        long bps = Long.parseLong(seen.get(0).substring(5));
        // 1234567 needs exponent 3: the mantissa keeps 1234567 >>> 3, so the REMB says 1234560.
        assertThat(bps).isEqualTo(1_234_560);
        assertThat(estimator.targetBitrateBps()).isEqualTo(1_234_560);
    }
}
