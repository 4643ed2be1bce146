/**
 * Egress pacing as pure logic: {@link org.sluice.bandwidth.pacer.Pacer} holds a transport's
 * outgoing items in a priority queue (audio, retransmissions, video, padding) and releases them at
 * the pacing rate from token-bucket budgets, with a pass-through fast path when nothing waits.
 * Single-threaded, driven by an explicit {@code long nowNanos}; the event-loop adapter that owns a
 * pacer, schedules its drains and sends what it releases lives in sfu-core.
 */
package org.sluice.bandwidth.pacer;
