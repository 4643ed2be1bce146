/**
 * Checks on what viewers receive: per-SSRC sequence continuity, the payload stamp, end-to-end loss
 * against what publishers sent, and added latency in a log-linear histogram. Each event loop owns its
 * {@link org.sluice.loadgen.check.LoopStats}; nothing here is shared between threads while a run is
 * live except the counters read for progress.
 */
package org.sluice.loadgen.check;
