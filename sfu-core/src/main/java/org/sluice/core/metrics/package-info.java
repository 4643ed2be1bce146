/**
 * Micrometer meters over a running engine ({@link org.sluice.core.metrics.EngineMetrics}).
 *
 * <p>Counting choice: nothing on the packet path touches a shared atomic for metrics. Per-packet
 * forwarding counts are the plain {@code long} fields each {@link org.sluice.core.forward.OutboundStream}
 * already keeps on its own loop; the engine sums them over live sessions at scrape time and adds a
 * retired total, into which a session's counts move when it ends (under one lock with leaving the
 * live set, and sums take that lock too: per scrape and per session end, never per packet — so the
 * counter never goes backwards). Reads of the plain fields from the scrape thread are racy by
 * design: a scrape may miss the last few packets, which the next scrape sees. Drop and DTLS counters
 * are the existing {@code LongAdder}s of {@link org.sluice.core.transport.TransportCounters} and
 * {@link org.sluice.core.net.NetworkCounters} (striped, so uncontended), read as function counters.
 * PLIs are counted per publisher with a {@code LongAdder} after the per-stream throttle, far below
 * the packet rate.
 */
package org.sluice.core.metrics;
