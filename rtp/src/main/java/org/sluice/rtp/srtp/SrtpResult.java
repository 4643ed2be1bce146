package org.sluice.rtp.srtp;

/** The outcome of one SRTP/SRTCP protect or unprotect call. Only {@link #OK} changed the packet's meaning. */
public enum SrtpResult {
    /** Done: the packet is protected (or plain, for unprotect). */
    OK,
    /** Not an RTP/RTCP packet this session can handle: too short, wrong version, bad header lengths. */
    MALFORMED,
    /** The authentication tag did not verify. */
    AUTH_FAILED,
    /** The packet index was already received inside the replay window. */
    REPLAYED,
    /** The packet index lies behind the replay window. */
    TOO_OLD,
    /** A new SSRC would exceed the session's stream limit; the packet was refused. */
    STREAM_LIMIT,
    /** The output buffer cannot grow to hold the protected packet. */
    NO_ROOM,
    /** The packet index space of this key is used up (2^48 SRTP, 2^31 SRTCP packets): rekey. */
    KEY_EXHAUSTED;

    public boolean isOk() {
        return this == OK;
    }
}
