package org.sluice.core.peer;

import org.sluice.bandwidth.gcc.GccSettings;
import org.sluice.core.forward.RepairCounters;
import org.sluice.core.transport.CongestionCounters;

import java.time.Clock;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * What every {@link PeerLeg} of an engine shares: clocks, our CNAME toward the peer, the engine's repair
 * counters, and where round-trip samples go (a metrics distribution).
 *
 * @param wallClock  for the NTP times of RTCP reports and their round trips
 * @param nanoClock  monotonic time of the media path
 * @param cname      our RTCP CNAME toward this peer
 * @param counters   NACKs, retransmissions, caches and keyframe requests
 * @param roundTrips receives each round trip measured from a receiver's report, in nanoseconds; any loop
 * @param congestion the start, floor and ceiling of each receiver's bandwidth estimate
 * @param congestionCounters feedback, probes and pacer counters of every receiver transport
 * @param estimates  receives each receiver's bandwidth estimate at each allocation, in bits per second; any loop
 * @param quality    receives per-layer rates, jitter and reported loss; any loop
 */
public record LegContext(Clock wallClock, LongSupplier nanoClock, String cname, RepairCounters counters,
                         LongConsumer roundTrips, GccSettings congestion, CongestionCounters congestionCounters,
                         LongConsumer estimates, MediaQualityObserver quality) {

    /** Without a quality observer. */
    public LegContext(Clock wallClock, LongSupplier nanoClock, String cname, RepairCounters counters,
                      LongConsumer roundTrips, GccSettings congestion, CongestionCounters congestionCounters,
                      LongConsumer estimates) {
        this(wallClock, nanoClock, cname, counters, roundTrips, congestion, congestionCounters, estimates,
                MediaQualityObserver.NONE);
    }

    /** The start of every receiver's estimate (the estimator ramps from there, probing), floor and ceiling. */
    public static final GccSettings DEFAULT_CONGESTION = new GccSettings(2_500_000, 30_000, 20_000_000);

    /** The same context with another CNAME. */
    public LegContext withCname(String name) {
        return new LegContext(wallClock, nanoClock, name, counters, roundTrips, congestion, congestionCounters,
                estimates, quality);
    }
}
