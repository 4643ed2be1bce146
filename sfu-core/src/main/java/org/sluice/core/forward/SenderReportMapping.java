package org.sluice.core.forward;

/**
 * A publisher's latest sender report for one stream, as our clock saw it: its RTP timestamp and the
 * middle 32 bits of its NTP time (for our receiver reports' LSR) at the moment it arrived. Lets each
 * receiver's SR map our wall clock to its rebased RTP timestamps, keeping audio and video of one
 * publisher in sync.
 */
public record SenderReportMapping(long rtpTimestamp, long ntpMiddle32, long arrivalNanos) {
}
