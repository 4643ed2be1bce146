package org.sluice.bandwidth.sim;

import java.util.ArrayDeque;
import java.util.function.LongUnaryOperator;
import org.sluice.bandwidth.gcc.GccSettings;
import org.sluice.bandwidth.gcc.GoogCcEstimator;

/**
 * Runs flows over one bottleneck on a manual clock in {@link #STEP_NANOS} ticks. Feedback travels
 * back over an uncongested path of the same propagation delay; each feedback also reports the RTT
 * (twice the propagation delay plus the newest packet's queuing delay) to the estimator.
 */
final class Simulation {
    static final long STEP_NANOS = 100_000L;
    static final long SECOND = 1_000_000_000L;

    private record Feedback(long dueNanos, long sentNanos, int flow, byte[] bytes) {
    }

    final Stats stats;
    final BottleneckLink link;
    final SimSender[] senders;
    private final SimReceiver[] receivers;
    private final long[] lastQueueDelay;
    private final ArrayDeque<Feedback> feedback = new ArrayDeque<>();
    private final long durationNanos;
    private long nowNanos;
    private long[] holdFromNanos = new long[0];
    private long holdNanos;

    /**
     * @param startNanos start time of each flow
     */
    Simulation(LongUnaryOperator capacityBpsAt, long queueLimitBytes, long propagationNanos, double lossRate,
               long seed, long durationNanos, long... startNanos) {
        this.durationNanos = durationNanos;
        int flows = startNanos.length;
        stats = new Stats(flows, durationNanos);
        link = new BottleneckLink(capacityBpsAt, queueLimitBytes, propagationNanos, lossRate, seed, stats);
        senders = new SimSender[flows];
        receivers = new SimReceiver[flows];
        lastQueueDelay = new long[flows];
        for (int i = 0; i < flows; i++) {
            senders[i] = new SimSender(i, new GoogCcEstimator(GccSettings.DEFAULT), startNanos[i]);
            receivers[i] = new SimReceiver();
        }
    }

    /** Gives every sender the allocator model of {@link SimSender#allocator}. */
    Simulation allocator(long desiredBps, long intervalNanos) {
        for (SimSender s : senders) {
            s.allocator(desiredBps, intervalNanos);
        }
        return this;
    }

    /**
     * Makes the feedback path hold, from each of {@code fromNanos}, for {@code durationNanos} every feedback that
     * would arrive then, and deliver them together at the end of the hold: a congested downlink that delays and
     * bunches transport-cc feedback. The RTT reported with held feedback includes the hold.
     */
    Simulation holdFeedback(long durationNanos, long... fromNanos) {
        this.holdNanos = durationNanos;
        this.holdFromNanos = fromNanos.clone();
        return this;
    }

    /** When feedback due at {@code dueNanos} reaches the sender. */
    private long feedbackArrival(long dueNanos) {
        for (long from : holdFromNanos) {
            if (dueNanos >= from && dueNanos < from + holdNanos) {
                return from + holdNanos;
            }
        }
        return dueNanos;
    }

    /** Runs to the end of the configured duration. */
    Simulation run() {
        long prop = link.propagationNanos();
        for (; nowNanos < durationNanos; nowNanos += STEP_NANOS) {
            for (SimSender s : senders) {
                s.step(nowNanos, link);
            }
            SimPacket p;
            while ((p = link.poll(nowNanos)) != null) {
                stats.onDelivered(p);
                receivers[p.flow].onPacket(p);
                lastQueueDelay[p.flow] = p.serviceStartNanos - p.sendNanos;
            }
            for (int i = 0; i < receivers.length; i++) {
                byte[] fb = receivers[i].maybeFeedback(nowNanos);
                if (fb != null) {
                    feedback.addLast(new Feedback(feedbackArrival(nowNanos + prop), nowNanos, i, fb));
                }
            }
            while (!feedback.isEmpty() && feedback.peekFirst().dueNanos() <= nowNanos) {
                Feedback f = feedback.pollFirst();
                SimSender s = senders[f.flow()];
                s.onFeedback(f.bytes(), nowNanos);
                s.estimator.onRtt(2 * prop + lastQueueDelay[f.flow()] + (nowNanos - f.sentNanos() - prop));
            }
            if (nowNanos % Stats.BUCKET_NANOS == 0) {
                for (SimSender s : senders) {
                    stats.onTarget(s.flow, nowNanos, s.estimator.targetBitrateBps());
                }
            }
        }
        return this;
    }

    GoogCcEstimator estimator(int flow) {
        return senders[flow].estimator;
    }
}
