/**
 * The socket-free rig behind {@code FanOutBenchmark}: one publisher stream fanned out through the real
 * {@code InboundStream → MediaSlot → OutboundStream} path to receivers whose egress legs own real SRTP
 * sessions ({@link org.sluice.bench.fanout.SrtpEgressLeg}), the publisher's VP8 key-frame packet
 * ({@link org.sluice.bench.fanout.PublisherPacket}), and the wiring plus a decrypt-and-compare sanity check
 * ({@link org.sluice.bench.fanout.FanOutRig}).
 */
package org.sluice.bench.fanout;
