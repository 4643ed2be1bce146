/**
 * Google congestion control (draft-ietf-rmcat-gcc-02, following the structure of libwebrtc's
 * goog_cc) as pure logic over an injected clock. {@link org.sluice.bandwidth.gcc.GoogCcEstimator}
 * is the one entry point: it is told about sent packets, transport-cc feedback, REMB, RTT and
 * receiver-report loss, and answers a target bitrate, a pacing rate, probe clusters to send and
 * whether the sender is application limited.
 *
 * <p>Inside: {@link org.sluice.bandwidth.gcc.InterArrival} groups packets into 5 ms send bursts,
 * {@link org.sluice.bandwidth.gcc.TrendlineEstimator} fits the delay trend, {@link
 * org.sluice.bandwidth.gcc.OveruseDetector} compares it with an adaptive threshold, {@link
 * org.sluice.bandwidth.gcc.AimdRateControl} turns the verdict into a delay-based rate ({@link
 * org.sluice.bandwidth.gcc.DelayBasedEstimator} wires these four), {@link
 * org.sluice.bandwidth.gcc.LossBasedControl} caps it by loss, {@link
 * org.sluice.bandwidth.gcc.AcknowledgedBitrateEstimator} measures what the receiver got, {@link
 * org.sluice.bandwidth.gcc.AlrDetector} tells when the sender is not using its budget, and {@link
 * org.sluice.bandwidth.gcc.ProbeController} with {@link
 * org.sluice.bandwidth.gcc.ProbeBitrateEstimator} probes for capacity.
 *
 * <p>Time is {@code long} nanoseconds from any origin; rates are bits per second. No class here
 * allocates per packet or per feedback in steady state, none holds static mutable state, and
 * out-of-range input is ignored or clamped rather than thrown.
 */
package org.sluice.bandwidth.gcc;
