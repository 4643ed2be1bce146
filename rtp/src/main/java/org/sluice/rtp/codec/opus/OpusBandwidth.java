package org.sluice.rtp.codec.opus;

/** Opus audio bandwidth (RFC 6716 §2, Table 1). */
public enum OpusBandwidth {
    NARROWBAND(4_000),
    MEDIUMBAND(6_000),
    WIDEBAND(8_000),
    SUPERWIDEBAND(12_000),
    FULLBAND(20_000);

    private final int audioBandwidthHz;

    OpusBandwidth(int audioBandwidthHz) {
        this.audioBandwidthHz = audioBandwidthHz;
    }

    /** Upper edge of the coded audio band in Hz. */
    public int audioBandwidthHz() {
        return audioBandwidthHz;
    }
}
