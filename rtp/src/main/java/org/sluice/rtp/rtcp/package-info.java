/**
 * RTCP (RFC 3550 §6, RFC 4585, RFC 5104, RFC 5506, REMB) as reusable views over Netty {@code ByteBuf}
 * plus writers that build packets into a {@code ByteBuf}.
 *
 * <p>{@link org.sluice.rtp.rtcp.RtcpCompoundIterator} walks the packets of a datagram (compound or
 * reduced-size); the per-type views ({@link org.sluice.rtp.rtcp.SenderReportView},
 * {@link org.sluice.rtp.rtcp.ReceiverReportView}, {@link org.sluice.rtp.rtcp.SdesView},
 * {@link org.sluice.rtp.rtcp.ByeView}, {@link org.sluice.rtp.rtcp.NackView},
 * {@link org.sluice.rtp.rtcp.PliView}, {@link org.sluice.rtp.rtcp.FirView},
 * {@link org.sluice.rtp.rtcp.RembView}) are pointed at one packet and never allocate. Writers are
 * stateless final classes with static methods that append a packet and return the bytes written.
 * Transport-wide congestion control feedback lives in {@link org.sluice.rtp.rtcp.twcc}; it validates
 * its header through the same {@link org.sluice.rtp.rtcp.FeedbackHeader} check as the views here.
 * Extended reports (RFC 3611) with round-trip timing are read by {@link org.sluice.rtp.rtcp.XrView} and written by {@link org.sluice.rtp.rtcp.XrWriter}; {@link org.sluice.rtp.rtcp.RoundTripTime} turns echoed timestamps into a round-trip time.
 */
package org.sluice.rtp.rtcp;
