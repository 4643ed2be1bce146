/**
 * Loss recovery for inbound and outbound RTP streams: NACK generation (RFC 4585 §6.2.1), RTX
 * retransmission packets (RFC 4588), and a smoothed round-trip time to space retries.
 *
 * <p>{@link org.sluice.rtp.nack.NackGenerator} tracks the missing sequence numbers of one inbound
 * stream and says which to NACK when; {@link org.sluice.rtp.rtcp.NackWriter} packs them.
 * {@link org.sluice.rtp.nack.RtxPackets} turns a received RTX packet back into the original packet
 * in place. {@link org.sluice.rtp.nack.RttFilter} smooths round-trip samples from report blocks
 * ({@link org.sluice.rtp.rtcp.RoundTripTime}), XR DLRR blocks ({@link org.sluice.rtp.rtcp.XrView})
 * or NACK-to-retransmission delays that {@code NackGenerator} measures.
 *
 * <p>Everything here is single-threaded (one event loop per stream), takes the time as a
 * {@code long nowNanos} argument instead of reading a clock, and does not allocate per packet.
 */
package org.sluice.rtp.nack;
