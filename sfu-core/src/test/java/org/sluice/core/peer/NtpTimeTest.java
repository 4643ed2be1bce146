package org.sluice.core.peer;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class NtpTimeTest {

    private static long seconds(long ntp) {
        return ntp >>> 32;
    }

    private static long fraction(long ntp) {
        return ntp & 0xFFFFFFFFL;
    }

    @Test
    void theUnixEpochIs2208988800NtpSeconds() {
        long ntp = NtpTime.fromUnixMillis(0);
        assertThat(seconds(ntp)).isEqualTo(2_208_988_800L);
        assertThat(fraction(ntp)).isZero();
        assertThat(ntp).isEqualTo(0x83AA7E8000000000L);
    }

    @Test
    void year2000IsNtpSecond3155673600() {
        long ntp = NtpTime.fromUnixMillis(Instant.parse("2000-01-01T00:00:00Z").toEpochMilli());
        assertThat(seconds(ntp)).isEqualTo(3_155_673_600L);
        assertThat(fraction(ntp)).isZero();
    }

    @Test
    void millisecondsBecomeBinaryFractions() {
        assertThat(fraction(NtpTime.fromUnixMillis(500))).isEqualTo(0x80000000L);
        assertThat(fraction(NtpTime.fromUnixMillis(250))).isEqualTo(0x40000000L);
        assertThat(fraction(NtpTime.fromUnixMillis(1))).isEqualTo(4_294_967L); // floor(2^32 / 1000)
        assertThat(fraction(NtpTime.fromUnixMillis(999))).isEqualTo((999L << 32) / 1000);
        assertThat(seconds(NtpTime.fromUnixMillis(1_999))).isEqualTo(2_208_988_801L);
    }

    @Test
    void beforeTheUnixEpochRoundsDownToTheSecondBefore() {
        long ntp = NtpTime.fromUnixMillis(-1);
        assertThat(seconds(ntp)).isEqualTo(2_208_988_799L);
        assertThat(fraction(ntp)).isEqualTo((999L << 32) / 1000);
    }

    @Test
    void era1Starts2036February7AndWrapsTheSeconds() {
        long rollover = Instant.parse("2036-02-07T06:28:16Z").toEpochMilli();
        assertThat(NtpTime.fromUnixMillis(rollover)).isZero();
        assertThat(seconds(NtpTime.fromUnixMillis(rollover - 1000))).isEqualTo(0xFFFFFFFFL);
        assertThat(seconds(NtpTime.fromUnixMillis(rollover + 1500))).isEqualTo(1);
        assertThat(fraction(NtpTime.fromUnixMillis(rollover + 1500))).isEqualTo(0x80000000L);
    }

    @Test
    void theMiddle32BitsAdvanceBy65536PerSecond() {
        long a = NtpTime.fromUnixMillis(1_700_000_000_000L);
        long b = NtpTime.fromUnixMillis(1_700_000_001_000L);
        assertThat(((b >>> 16) - (a >>> 16)) & 0xFFFFFFFFL).isEqualTo(65_536);
    }
}
