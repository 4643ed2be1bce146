package org.sluice.loadgen.media;

/**
 * What identifies one synthetic RTP stream: its SSRC and payload type on the wire, and the stream id
 * its payload stamps carry (unique within a run, so a viewer can tell whose bytes it got).
 */
public record StreamIdentity(long ssrc, int payloadType, int streamId) {
}
