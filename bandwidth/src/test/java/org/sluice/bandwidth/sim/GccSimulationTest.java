package org.sluice.bandwidth.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.bandwidth.sim.Simulation.SECOND;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * End-to-end behaviour of {@link org.sluice.bandwidth.gcc.GoogCcEstimator} in the simulator. Each
 * test prints its measured figure (see the surefire output file) before asserting it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GccSimulationTest {
    private static final long MBPS = 1_000_000;
    private static final long PROPAGATION = 25_000_000L;

    private Simulation step;
    private Simulation stable;

    /**
     * 3 Mbit/s, 1 Mbit/s from 20 s, 3 Mbit/s again from 40 s; queue of 300 ms at 3 Mbit/s. The
     * sender models an allocator whose subscribers want 3 Mbit/s: every 2 s while the target is
     * below that it calls {@code requestProbe} at 1.5 × the target before it would upgrade.
     */
    private Simulation step() {
        if (step == null) {
            step = stepLink().allocator(3 * MBPS, 2 * SECOND).run();
            trace("step (allocator probing)", step, 0, 60);
        }
        return step;
    }

    private static Simulation stepLink() {
        return new Simulation(t -> t < 20 * SECOND || t >= 40 * SECOND ? 3 * MBPS : MBPS,
                3 * MBPS * 3 / 10 / 8, PROPAGATION, 0, 1, 60 * SECOND, 0);
    }

    /** 2 Mbit/s for 40 s with a 500 ms queue (so that the delay bound is the estimator's doing). */
    private Simulation stable() {
        if (stable == null) {
            stable = new Simulation(t -> 2 * MBPS, 2 * MBPS / 2 / 8, PROPAGATION, 0, 2, 40 * SECOND, 0).run();
            trace("stable", stable, 0, 40);
        }
        return stable;
    }

    private static void trace(String name, Simulation sim, int fromS, int toS) {
        StringBuilder sb = new StringBuilder(name).append(" target kbit/s per second:");
        for (int f = 0; f < sim.senders.length; f++) {
            sb.append("\n  flow ").append(f).append(':');
            for (int s = fromS; s < toS; s++) {
                sb.append(' ').append(sim.stats.targetAt(f, s * SECOND) / 1000);
            }
            sb.append("\n  ").append(sim.estimator(f).state());
        }
        sb.append("\n  random loss ").append(sim.stats.randomLoss).append(", queue drops ")
                .append(sim.stats.queueDrops);
        System.out.println(sb);
    }

    @Test
    void stepDownBringsEstimateToAtMost1point1MbpsWithin2s() {
        Simulation sim = step();
        long t = sim.stats.firstTime(0, 20 * SECOND, 40 * SECOND, bps -> bps <= 1_100_000);
        long after = t < 0 ? -1 : (t - 20 * SECOND) / 1_000_000;
        long maxAfter = sim.stats.meanTarget(0, 22 * SECOND, 40 * SECOND) > 0
                ? (long) sim.stats.meanTarget(0, 22 * SECOND, 40 * SECOND) : 0;
        System.out.printf("step 3->1 Mbit/s: estimate <= 1.1 Mbit/s after %d ms; mean 22..40 s %d kbit/s; "
                        + "max 22..40 s %d kbit/s%n", after, maxAfter / 1000,
                maxTarget(sim, 22, 40) / 1000);
        assertThat(t).isGreaterThanOrEqualTo(0);
        assertThat(t - 20 * SECOND).isLessThanOrEqualTo(2 * SECOND);
    }

    @Test
    void stepBackUpRecoversTo80PercentOf3MbpsWithin10s() {
        Simulation sim = step();
        long t = sim.stats.firstTime(0, 40 * SECOND, 60 * SECOND, bps -> bps >= 2_400_000);
        Simulation plain = stepLink().run();
        trace("step (no allocator probing)", plain, 0, 60);
        long p = plain.stats.firstTime(0, 40 * SECOND, 60 * SECOND, bps -> bps >= 2_400_000);
        System.out.printf("step 1->3 Mbit/s: estimate >= 2.4 Mbit/s after %d ms with upgrade probes "
                        + "(%d accepted), %d ms without (AIMD alone, 8%%/s)%n",
                t < 0 ? -1 : (t - 40 * SECOND) / 1_000_000, sim.senders[0].upgradeProbes,
                p < 0 ? -1 : (p - 40 * SECOND) / 1_000_000);
        assertThat(t).isGreaterThanOrEqualTo(0);
        assertThat(t - 40 * SECOND).isLessThanOrEqualTo(10 * SECOND);
    }

    @Test
    void stableLinkIsUtilisedAtLeast85Percent() {
        Simulation sim = stable();
        double throughput = sim.stats.throughputBps(0, 10 * SECOND, 40 * SECOND);
        System.out.printf("stable 2 Mbit/s: utilisation 10..40 s %.1f%% (%.0f kbit/s)%n",
                throughput / (2 * MBPS) * 100, throughput / 1000);
        assertThat(throughput / (2 * MBPS)).isGreaterThanOrEqualTo(0.85);
    }

    @Test
    void stableLinkQueuingDelayP95AtMost100ms() {
        Simulation sim = stable();
        long p95 = sim.stats.queueDelayPercentile(0.95, 10 * SECOND, 40 * SECOND);
        long p50 = sim.stats.queueDelayPercentile(0.50, 10 * SECOND, 40 * SECOND);
        System.out.printf("stable 2 Mbit/s: queuing delay p50 %.1f ms, p95 %.1f ms%n", p50 / 1e6, p95 / 1e6);
        assertThat(p95).isLessThanOrEqualTo(100_000_000L);
    }

    @Test
    void twoFlowsShareBottleneckWithin30Percent() {
        Simulation sim = new Simulation(t -> 3 * MBPS, 3 * MBPS * 3 / 10 / 8, PROPAGATION, 0, 3,
                150 * SECOND, 0, 5 * SECOND).run();
        trace("two flows", sim, 0, 150);
        double a = sim.stats.throughputBps(0, 90 * SECOND, 150 * SECOND);
        double b = sim.stats.throughputBps(1, 90 * SECOND, 150 * SECOND);
        double gap = Math.abs(a - b) / Math.max(a, b);
        System.out.printf("two flows on 3 Mbit/s, 90..150 s: %.0f and %.0f kbit/s, gap %.1f%%, total %.1f%%%n",
                a / 1000, b / 1000, gap * 100, (a + b) / (3 * MBPS) * 100);
        assertThat(gap).isLessThanOrEqualTo(0.30);
    }

    @Test
    void fivePercentRandomLossDoesNotCollapseEstimate() {
        Simulation sim = new Simulation(t -> 2 * MBPS, 2 * MBPS * 3 / 10 / 8, PROPAGATION, 0.05, 4,
                30 * SECOND, 0).run();
        trace("5% loss", sim, 0, 30);
        long min = sim.stats.minTarget(0, 10 * SECOND, 30 * SECOND);
        System.out.printf("5%% loss on 2 Mbit/s: lowest estimate 10..30 s %d kbit/s (%.0f%% of capacity), "
                + "mean %.0f kbit/s%n", min / 1000, min * 100.0 / (2 * MBPS),
                sim.stats.meanTarget(0, 10 * SECOND, 30 * SECOND) / 1000);
        assertThat(min).isGreaterThanOrEqualTo(MBPS);
    }

    /**
     * An application-limited receiver of layers of 150, 415, 800 and 1500 kbit/s behind a 1 Mbit/s link
     * (the capped conference participant): once the estimate has fallen to the layers it sends, only the
     * upgrade probes can show that the next layer fits. It must settle on the 800 kbit/s rung and stay
     * there: the probes toward the 1.5 Mbit/s layer, which the link cannot carry, must not keep pushing it
     * off (they back off after a probe the estimate did not follow).
     */
    @Test
    void applicationLimitedFlowReachesTheLayerTheLinkCarries() {
        Simulation sim = new Simulation(t -> MBPS, MBPS * 3 / 10 / 8, PROPAGATION, 0, 5, 60 * SECOND, 0);
        sim.senders[0].layers(150_000, 415_000, 800_000, 1_500_000);
        sim.run();
        trace("application limited behind 1 Mbit/s", sim, 0, 60);
        SimSender sender = sim.senders[0];
        double onLayer = sender.fractionOnRung(2);
        System.out.printf("application limited behind 1 Mbit/s: on the 800 kbit/s layer %.1f%% of 10..60 s, above it "
                        + "%.1f%%, %d upgrade probes, %d queue drops%n", onLayer * 100, sender.fractionOnRung(3) * 100,
                sender.layerProbes, sim.stats.queueDrops);
        assertThat(onLayer).isGreaterThanOrEqualTo(0.8);
        assertThat(sender.fractionOnRung(3)).isZero();
    }

    /**
     * The capped WHEP viewer of the browser test: 700 kbit/s behind a token bucket that lets 1.6 kB through at line
     * rate after an idle moment (a Linux HTB class's default burst), layers of 150, 400 and 750 kbit/s. The top layer
     * needs more than the link, so it must never be chosen; a probe cluster that fits in the burst measures line rate
     * and would lift the estimate past it (measured in the browser test: 1.5 kB clusters came back at 540 and
     * 910 kbit/s on the 700 kbit/s link, and the viewer was moved to a layer that overran the queue).
     */
    @Test
    void probesThroughATokenBucketDoNotLiftTheEstimatePastTheLink() {
        long capacity = 700_000;
        Simulation sim = new Simulation(t -> capacity, 60 * 1200, PROPAGATION, 0, 7, 60 * SECOND, 0);
        sim.link.burst(1600);
        sim.senders[0].layers(150_000, 400_000, 750_000);
        sim.run();
        trace("application limited behind a 700 kbit/s token bucket", sim, 0, 60);
        SimSender sender = sim.senders[0];
        System.out.printf("behind a 700 kbit/s token bucket: on the 400 kbit/s layer %.1f%%, on the 750 kbit/s layer "
                        + "%.1f%%, %d upgrade probes, %d queue drops, highest target after 10 s %d kbit/s%n",
                sender.fractionOnRung(1) * 100, sender.fractionOnRung(2) * 100, sender.layerProbes,
                sim.stats.queueDrops, maxTarget(sim, 10, 60) / 1000);
        assertThat(sender.fractionOnRung(2)).as("time on the layer the link cannot carry").isZero();
        assertThat(sender.fractionOnRung(1)).as("time on the layer it carries").isGreaterThanOrEqualTo(0.8);
    }

    private static long maxTarget(Simulation sim, int fromS, int toS) {
        long max = 0;
        for (long t = fromS * SECOND; t < toS * SECOND; t += Stats.BUCKET_NANOS) {
            max = Math.max(max, sim.stats.targetAt(0, t));
        }
        return max;
    }
}
