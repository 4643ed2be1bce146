package org.sluice.rtp.srtp;

/**
 * Limits of one {@link SrtpSession}.
 *
 * @param maxStreams        how many SSRCs may be active in the session at once; packets of further SSRCs
 *                          are refused with {@link SrtpResult#STREAM_LIMIT}. A stream retired with
 *                          {@link SrtpSession#retireStream} stops counting; the state of up to this many
 *                          retired streams is remembered as well (the oldest forgotten first), so an SSRC
 *                          that returns continues its packet indices
 * @param replayWindowSize  packets remembered behind the highest index received, per SSRC, for SRTP
 *                          and SRTCP alike; a power of two from 64 to 32768
 */
public record SrtpSessionConfig(int maxStreams, int replayWindowSize) {

    /** The default stream limit: far more than any one BUNDLE transport carries at once. */
    public static final int DEFAULT_MAX_STREAMS = 1024;

    /**
     * {@value #DEFAULT_MAX_STREAMS} active streams (a conference transport receives two to three SSRCs per
     * subscribed track), a 128-packet window. Tables start small and grow as streams appear.
     */
    public static final SrtpSessionConfig DEFAULT = new SrtpSessionConfig(DEFAULT_MAX_STREAMS, 128);

    /** The default replay window with {@code maxStreams}. */
    public static SrtpSessionConfig withMaxStreams(int maxStreams) {
        return new SrtpSessionConfig(maxStreams, DEFAULT.replayWindowSize());
    }

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
