package org.sluice.bandwidth.gcc;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.rtcp.twcc.TransportFeedbackBuilder;
import org.sluice.rtp.rtcp.twcc.TransportFeedbackView;
import org.sluice.rtp.testing.ThreadAllocation;

class GoogCcEstimatorTest {
    private static final long MS = 1_000_000L;

    private final TransportFeedbackBuilder builder = new TransportFeedbackBuilder(1200);
    private final ByteBuf buf = Unpooled.wrappedBuffer(new byte[4096]);
    private final TransportFeedbackView view = new TransportFeedbackView();

    @Test
    void startsAtTheStartRateWithPacingAt2point5Times() {
        GoogCcEstimator e = new GoogCcEstimator(GccSettings.DEFAULT);
        assertThat(e.targetBitrateBps()).isEqualTo(300_000);
        assertThat(e.pacingRateBps()).isEqualTo(750_000);
        assertThat(e.inAlr()).isFalse();
        assertThat(e.state()).contains("target=300000");
    }

    @Test
    void handsOutTheStartUpProbesThenNothing() {
        GoogCcEstimator e = new GoogCcEstimator(GccSettings.DEFAULT);
        assertThat(e.nextProbe(0).bitrateBps()).isEqualTo(900_000);
        assertThat(e.nextProbe(0).bitrateBps()).isEqualTo(1_800_000);
        assertThat(e.nextProbe(0)).isNull();
    }

    @Test
    void settingsClampTheStartRateAndRejectAnInvertedRange() {
        assertThat(new GccSettings(1, 30_000, 100_000).startBps()).isEqualTo(30_000);
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new GccSettings(100, 200, 100));
    }

    @Test
    void rembCapsTheTargetWithinTheSettings() {
        GoogCcEstimator e = new GoogCcEstimator(GccSettings.DEFAULT);
        e.onRemb(200_000, 0);
        assertThat(e.targetBitrateBps()).isEqualTo(200_000);
        e.onRemb(10, MS);
        assertThat(e.targetBitrateBps()).isEqualTo(30_000);
        e.onRemb(5_000_000, 3000 * MS);
        assertThat(e.targetBitrateBps()).isEqualTo(5_000_000);
        e.onRemb(50_000_000, 4000 * MS);
        assertThat(e.targetBitrateBps()).isEqualTo(10_000_000);
    }

    @Test
    void rembIsIgnoredWhileTransportFeedbackFlowsAndAppliesAgainWhenItStops() {
        GoogCcEstimator e = new GoogCcEstimator(GccSettings.DEFAULT);
        long t = drive(e, 0, 0, 40);
        long target = e.targetBitrateBps();
        assertThat(target).isGreaterThan(150_000);
        e.onRemb(150_000, t);
        assertThat(e.targetBitrateBps()).as("a REMB among transport-cc feedback").isEqualTo(target);
        assertThat(e.rembsIgnored()).isEqualTo(1);
        e.onRemb(150_000, t + GoogCcEstimator.REMB_SUPERSEDED_NANOS + MS);
        assertThat(e.targetBitrateBps()).as("the feedback stopped: the REMB is the receiver's estimate")
                .isEqualTo(150_000);
        assertThat(e.rembsIgnored()).isEqualTo(1);
    }

    @Test
    void transportFeedbackLiftsTheCapOfAnEarlierRemb() {
        GoogCcEstimator e = new GoogCcEstimator(GccSettings.DEFAULT);
        e.onRemb(100_000, 0);
        assertThat(e.targetBitrateBps()).isEqualTo(100_000);
        drive(e, 0, 0, 200);
        assertThat(e.snapshot(new GccSnapshot()).rembBps).isEqualTo(-1);
        assertThat(e.targetBitrateBps()).as("the estimate grows past the REMB").isGreaterThan(150_000);
    }

    @Test
    void aStartNoStartUpProbeConfirmedFallsTo85PercentOfWhatWasAcknowledged() {
        GoogCcEstimator e = new GoogCcEstimator(new GccSettings(2_500_000, 30_000, 20_000_000));
        assertThat(e.nextProbe(0)).as("the start-up probes go out").isNotNull();
        // Media at 480 kbit/s (1200 B every 20 ms) is acknowledged; the probes' packets never arrive.
        long t = 0;
        int seq = 0;
        for (int round = 0; round < 30 && e.unconfirmedStarts() == 0; round++) {
            int base = seq;
            for (int i = 0; i < 5; i++) {
                e.onPacketSent(seq++ & 0xFFFF, 1200, t + i * 20 * MS, -1, false);
            }
            feedback(base, 5, t / 1000 + 20_000, 20_000);
            t += 100 * MS;
            e.onTransportFeedback(view, t);
            e.nextProbe(t);
        }
        assertThat(e.unconfirmedStarts()).isEqualTo(1);
        assertThat(t).as("brought down once start-up probing gave up, a second after it began").isLessThan(1500 * MS);
        assertThat(e.targetBitrateBps()).as("85%% of the acknowledged 480 kbit/s, %s", e.state())
                .isBetween(380_000L, 450_000L);
        assertThat(e.requestProbe(1_000_000, t)).as("no over-use: probes are not held off").isTrue();
    }

    @Test
    void anUnconfirmedStartFallsNoLowerThanLibwebrtcsStartRate() {
        GoogCcEstimator e = new GoogCcEstimator(new GccSettings(2_500_000, 30_000, 20_000_000));
        e.nextProbe(0);
        // Little is sent yet (48 kbit/s: the receiver's room was empty until now); the probes never arrive.
        long t = 0;
        int seq = 0;
        for (int round = 0; round < 30 && e.unconfirmedStarts() == 0; round++) {
            e.onPacketSent(seq & 0xFFFF, 600, t, -1, false);
            feedback(seq++, 1, t / 1000 + 20_000);
            t += 100 * MS;
            e.onTransportFeedback(view, t);
            e.nextProbe(t);
        }
        assertThat(e.unconfirmedStarts()).isEqualTo(1);
        assertThat(e.targetBitrateBps()).isEqualTo(GoogCcEstimator.UNCONFIRMED_START_BPS);
    }

    @Test
    void aStartTheStartUpProbesConfirmedIsKept() {
        GoogCcEstimator e = new GoogCcEstimator(new GccSettings(1_000_000, 30_000, 20_000_000));
        ProbeCluster first = e.nextProbe(0);
        // The first start-up cluster (3 Mbit/s) arrives at its rate: its result confirms the start.
        int n = (int) (first.minBytes() / 1200) + 1;
        for (int i = 0; i < n; i++) {
            e.onPacketSent(i, 1200, i * 3200_000L, first.id(), true);
        }
        feedback(0, n, 20_000, 3200);
        e.onTransportFeedback(view, 100 * MS);
        for (long t = 100 * MS; t < 2000 * MS; t += 100 * MS) {
            e.nextProbe(t);
        }
        assertThat(e.unconfirmedStarts()).isZero();
        assertThat(e.targetBitrateBps()).isGreaterThanOrEqualTo(1_000_000);
    }

    @Test
    void receiverReportLossLowersTheTarget() {
        GoogCcEstimator e = new GoogCcEstimator(GccSettings.DEFAULT);
        e.onLossReport(128, 0);
        assertThat(e.targetBitrateBps()).isEqualTo(225_000);
    }

    @Test
    void hostileInputIsIgnored() {
        GoogCcEstimator e = new GoogCcEstimator(GccSettings.DEFAULT);
        e.onTransportFeedback(null, 0);
        buf.clear();
        buf.writeBytes(new byte[] {(byte) 0x8F, (byte) 205, 0, 4, 0, 0, 0, 1});
        view.wrap(buf, 0, 8);
        e.onTransportFeedback(view, 0);
        e.onRemb(-5, 0);
        e.onRtt(-1);
        e.onRtt(Long.MAX_VALUE);
        e.onLossReport(-1, 0);
        e.onLossReport(1000, 0);
        e.onPacketSent(1, -100, 0, -1, false);
        // feedback about packets never sent
        e.onPacketSent(1, 1200, 0, -1, false);
        feedback(5000, 40, 0);
        e.onTransportFeedback(view, 100 * MS);
        assertThat(e.targetBitrateBps()).isEqualTo(300_000);
        assertThat(e.inFlightBytes()).isEqualTo(1200);
        GccSnapshot s = e.snapshot(new GccSnapshot());
        assertThat(s.delayBasedBps).isEqualTo(-1);
        assertThat(s.rttNanos).isEqualTo(-1);
    }

    @Test
    void snapshotReportsTheInternals() {
        GoogCcEstimator e = new GoogCcEstimator(GccSettings.DEFAULT);
        long t = drive(e, 0, 0, 100);
        e.onRtt(60 * MS);
        GccSnapshot s = e.snapshot(new GccSnapshot());
        assertThat(s.targetBps).isEqualTo(e.targetBitrateBps());
        assertThat(s.delayBasedBps).isPositive();
        assertThat(s.lossBasedBps).isEqualTo(s.targetBps);
        assertThat(s.acknowledgedBps).isPositive();
        assertThat(s.rttNanos).isEqualTo(60 * MS);
        assertThat(s.usage).isNotNull();
        assertThat(t).isPositive();
    }

    /** Writes feedback reporting {@code count} packets from {@code base} arriving 1 ms apart. */
    private void feedback(int base, int count, long firstArrivalUs) {
        feedback(base, count, firstArrivalUs, 1000);
    }

    private void feedback(int base, int count, long firstArrivalUs, long spacingUs) {
        buf.clear();
        builder.reset(1, 2, base, firstArrivalUs, 0);
        for (int i = 0; i < count; i++) {
            builder.addReceived(base + i, firstArrivalUs + i * spacingUs);
        }
        int len = builder.write(buf);
        view.wrap(buf, 0, len);
    }

    /**
     * Sends rounds of 50 packets 1 ms apart and feeds back each round 50 ms later, arrivals 1 ms
     * apart with a constant delay; returns the time reached.
     */
    private long drive(GoogCcEstimator e, long startNanos, int firstSeq, int rounds) {
        return drive(e, startNanos, firstSeq, rounds, 50, 0);
    }

    /**
     * As {@link #drive(GoogCcEstimator, long, int, int)} with {@code perRound} packets per round,
     * the delay growing {@code growthUs} per packet.
     */
    private long drive(GoogCcEstimator e, long startNanos, int firstSeq, int rounds, int perRound, long growthUs) {
        long t = startNanos;
        int seq = firstSeq;
        long delayUs = 20_000;
        for (int r = 0; r < rounds; r++) {
            int base = seq;
            for (int i = 0; i < perRound; i++) {
                e.onPacketSent(seq & 0xFFFF, 1200, t + i * MS, -1, false);
                seq++;
            }
            feedback(base & 0xFFFF, perRound, t / 1000 + delayUs, 1000 + growthUs);
            delayUs += perRound * growthUs;
            t += 50 * MS;
            e.onTransportFeedback(view, t);
        }
        return t;
    }

    @Test
    void growingDelayDecreasesTheTargetAndHoldsOffRequestedProbes() {
        GoogCcEstimator e = new GoogCcEstimator(GccSettings.DEFAULT);
        e.nextProbe(0);
        e.nextProbe(0);
        // 192 kbit/s: one 1200-byte packet every 50 ms
        long t = drive(e, 0, 0, 40, 1, 0);
        long before = e.targetBitrateBps();
        t = drive(e, t, 40, 40, 1, 10_000);
        GccSnapshot s = e.snapshot(new GccSnapshot());
        assertThat(e.targetBitrateBps()).isLessThan(before);
        assertThat(s.delayBasedBps).isLessThanOrEqualTo((long) (0.85 * 200_000));
        assertThat(e.requestProbe(5_000_000, t)).isFalse();
        t = drive(e, t, 80, 80, 1, 0);
        assertThat(e.requestProbe(5_000_000, t)).isTrue();
        assertThat(e.nextProbe(t).bitrateBps()).isEqualTo(5_000_000);
    }

    @Test
    void steadyStateAllocatesNothingPerPacketOrFeedback() {
        ThreadAllocation counter = ThreadAllocation.counterOrSkip();

        GoogCcEstimator e = new GoogCcEstimator(GccSettings.DEFAULT);
        GccSnapshot s = new GccSnapshot();
        long t = drive(e, 0, 0, 2000);
        long before = counter.bytes();
        t = drive(e, t, 2000 * 50, 2000);
        e.snapshot(s);
        long allocated = counter.bytes() - before;
        // 100k packets and 2000 feedbacks: one byte per packet would already be 100 KB
        assertThat(allocated).as("bytes allocated for 100k packets").isLessThan(32 * 1024);
        assertThat(s.targetBps).isPositive();
    }
}
