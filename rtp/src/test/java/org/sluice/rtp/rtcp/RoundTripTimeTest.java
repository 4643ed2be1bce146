package org.sluice.rtp.rtcp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoundTripTimeTest {

    @Test
    void theExampleOfRfc3550() {
        // §6.4.1: A = 0xb710:8000 (46864.500 s), LSR = 0xb705:2000 (46853.125 s),
        // DLSR = 0x0005:4000 (5.250 s): the round trip is 0x0006:2000 (6.125 s)
        assertThat(RoundTripTime.fromReportBlock(0xB7108000L, 0xB7052000L, 0x00054000L))
                .isEqualTo(6_125_000_000L);
    }

    @Test
    void handlesTheWrapOf32Bits() {
        // LSR just before the wrap, the echo arrives after it: 0x20 + 0x10000 units = 1 s + 0.5 ms
        long lsr = 0xFFFF_FFF0L;
        long now = 0x0001_0010L;
        assertThat(RoundTripTime.fromReportBlock(now, lsr, 0)).isEqualTo(RoundTripTime.compactNtpToNanos(0x1_0020L));
        assertThat(RoundTripTime.fromReportBlock(now, lsr, 0x1_0000L)).isEqualTo(488_281L); // 32/65536 s
    }

    @Test
    void noReportYetOrNegativeBeyondToleranceIsUnknown() {
        assertThat(RoundTripTime.fromReportBlock(0x1234_5678L, 0, 0)).isEqualTo(-1);
        assertThat(RoundTripTime.fromReportBlock(1000, 900, 100)).isZero();
        assertThat(RoundTripTime.fromReportBlock(1000, 900, 100 + RoundTripTime.NEGATIVE_TOLERANCE_UNITS)).isZero();
        assertThat(RoundTripTime.fromReportBlock(1000, 900, 101 + RoundTripTime.NEGATIVE_TOLERANCE_UNITS))
                .isEqualTo(-1);
        assertThat(RoundTripTime.fromReportBlock(1000, 2000, 0)).isEqualTo(-1);
    }

    @Test
    void ntpMiddle32AndConversions() {
        assertThat(RoundTripTime.ntpMiddle32(0xE123_4567_89AB_CDEFL)).isEqualTo(0x4567_89ABL);
        assertThat(RoundTripTime.ntpMiddle32(0xFFFF_FFFF_FFFF_FFFFL)).isEqualTo(0xFFFF_FFFFL);
        assertThat(RoundTripTime.compactNtpToNanos(0x1_0000L)).isEqualTo(1_000_000_000L);
        assertThat(RoundTripTime.compactNtpToNanos(0xFFFF_FFFFL)).isEqualTo(65_535_999_984_741L);
        assertThat(RoundTripTime.nanosToCompactNtp(1_000_000_000L)).isEqualTo(0x1_0000L);
        assertThat(RoundTripTime.nanosToCompactNtp(5_250_000_000L)).isEqualTo(0x5_4000L);
        assertThat(RoundTripTime.nanosToCompactNtp(7_629L)).isZero(); // just below half a unit
        assertThat(RoundTripTime.nanosToCompactNtp(7_630L)).isEqualTo(1);
        assertThat(RoundTripTime.nanosToCompactNtp(-5)).isZero();
        assertThat(RoundTripTime.nanosToCompactNtp(65_536L * 1_000_000_000L)).isEqualTo(0xFFFF_FFFFL);
        assertThat(RoundTripTime.nanosToCompactNtp(Long.MAX_VALUE)).isEqualTo(0xFFFF_FFFFL);
        for (long units : new long[] {1, 2, 3, 65_535, 1_234_567, 0xFFFF_FFFEL}) {
            assertThat(RoundTripTime.nanosToCompactNtp(RoundTripTime.compactNtpToNanos(units))).isEqualTo(units);
        }
    }

    @Test
    void roundTripOfAnRrtrAnsweredByDlrr() {
        // receiver sends RRTR at NTP 1000.5 s, the sender holds it 0.25 s, the DLRR returns at 1000.9 s
        long sent = (1000L << 32) | 0x8000_0000L;
        long back = (1000L << 32) | 0xE666_6666L;
        long rtt = RoundTripTime.fromReportBlock(RoundTripTime.ntpMiddle32(back), RoundTripTime.ntpMiddle32(sent),
                RoundTripTime.nanosToCompactNtp(250_000_000L));
        assertThat(rtt).isBetween(149_900_000L, 150_100_000L);
    }
}
