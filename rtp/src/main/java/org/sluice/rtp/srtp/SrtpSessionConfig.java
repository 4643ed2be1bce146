package org.sluice.rtp.srtp;

/**
 * Limits of one {@link SrtpSession}.
 *
 * @param maxStreams        how many SSRCs the session keeps state for; packets of further SSRCs are
 *                          refused with {@link SrtpResult#STREAM_LIMIT}
 * @param replayWindowSize  packets remembered behind the highest index received, per SSRC, for SRTP
 *                          and SRTCP alike; a power of two from 64 to 32768
 */
public record SrtpSessionConfig(int maxStreams, int replayWindowSize) {

    /** 64 streams (a BUNDLE transport with plenty of simulcast layers and RTX), a 128-packet window. */
    public static final SrtpSessionConfig DEFAULT = new SrtpSessionConfig(64, 128);

    public SrtpSessionConfig {
        if (maxStreams < 1 || maxStreams > 1 << 16) {
            throw new IllegalArgumentException("maxStreams must be 1..65536: " + maxStreams);
        }
        if (replayWindowSize < 64 || replayWindowSize > 32768 || Integer.bitCount(replayWindowSize) != 1) {
            throw new IllegalArgumentException("replayWindowSize must be a power of two in 64..32768: "
                    + replayWindowSize);
        }
    }
}
