/**
 * A deterministic network simulator for the congestion controller: a manual clock stepped in
 * 100 µs ticks, senders with a {@link org.sluice.bandwidth.gcc.GoogCcEstimator} and a simple pacer,
 * one bottleneck link (capacity over time, drop-tail queue, propagation delay, seeded random loss)
 * shared by all flows, and receivers that answer with transport-cc feedback every 50 ms built by
 * {@link org.sluice.rtp.rtcp.twcc.TransportFeedbackBuilder} and parsed back with {@link
 * org.sluice.rtp.rtcp.twcc.TransportFeedbackView}.
 */
package org.sluice.bandwidth.sim;
