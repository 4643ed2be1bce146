/**
 * Transport-wide congestion control feedback (RTPFB FMT=15,
 * draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1): {@link
 * org.sluice.rtp.rtcp.twcc.TransportFeedbackView} reads a feedback packet and iterates its packets
 * without allocation; {@link org.sluice.rtp.rtcp.twcc.TransportFeedbackBuilder} builds one with the
 * chunk encodings libwebrtc picks; {@link org.sluice.rtp.rtcp.twcc.TransportFeedbackSeries} splits
 * a longer series of arrivals into as many packets as needed.
 */
package org.sluice.rtp.rtcp.twcc;
