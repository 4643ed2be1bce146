package org.sluice.rtp.codec.h264;

/** How an H.264 RTP payload carries NAL units (RFC 6184 §5.2, Table 1). */
public enum H264PacketizationType {
    /** NAL unit types 1 to 23: one NAL unit per packet (§5.6). */
    SINGLE_NAL_UNIT,
    /** Type 24: single-time aggregation packet (§5.7.1). */
    STAP_A,
    /** Type 25: STAP with decoding order number, interleaved mode only; not supported. */
    STAP_B,
    /** Type 26: multi-time aggregation with 16-bit offsets; not supported. */
    MTAP16,
    /** Type 27: multi-time aggregation with 24-bit offsets; not supported. */
    MTAP24,
    /** Type 28: fragmentation unit without DON (§5.8). */
    FU_A,
    /** Type 29: fragmentation unit with DON, interleaved mode only; not supported. */
    FU_B;

    /** Whether Sluice's non-interleaved depacketization handles this type. */
    public boolean isSupported() {
        return this == SINGLE_NAL_UNIT || this == STAP_A || this == FU_A;
    }
}
