package org.sluice.core.peer;

/** Wall-clock milliseconds to the 64-bit NTP timestamp format of RTCP sender reports (RFC 3550 §4). */
final class NtpTime {

    /** Seconds from 1900-01-01 (NTP epoch) to 1970-01-01 (Unix epoch). */
    private static final long EPOCH_OFFSET_SECONDS = 2_208_988_800L;

    private NtpTime() {
    }

    static long fromUnixMillis(long unixMillis) {
        long seconds = Math.floorDiv(unixMillis, 1000) + EPOCH_OFFSET_SECONDS;
        long millis = Math.floorMod(unixMillis, 1000);
        long fraction = (millis << 32) / 1000;
        return (seconds << 32) | fraction;
    }

    /** The middle 32 bits of an NTP timestamp, as LSR and DLSR compare them. */
    static long middle32(long ntp) {
        return (ntp >>> 16) & 0xFFFFFFFFL;
    }
}
