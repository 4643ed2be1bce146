package org.sluice.bandwidth.gcc;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sluice.rtp.rtcp.twcc.TransportFeedbackBuilder;
import org.sluice.rtp.rtcp.twcc.TransportFeedbackView;

/**
 * Random but well-formed input (feedback for sequence numbers sent, not sent or long gone, arrival
 * times jumping both ways, reference times anywhere, odd REMB, RTT and loss values) and random
 * bytes as feedback: nothing throws and the target stays within the settings.
 */
class GoogCcEstimatorFuzzTest {
    private static final long MS = 1_000_000L;

    @Test
    void randomInputNeverThrowsAndKeepsTheTargetInRange() {
        Random rnd = new Random(42);
        TransportFeedbackBuilder builder = new TransportFeedbackBuilder(1200);
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[2048]);
        TransportFeedbackView view = new TransportFeedbackView();
        GccSettings settings = GccSettings.DEFAULT;
        for (int run = 0; run < 20; run++) {
            GoogCcEstimator e = new GoogCcEstimator(settings);
            long now = rnd.nextLong() >> 8;
            int seq = rnd.nextInt(65536);
            for (int step = 0; step < 2000; step++) {
                now += rnd.nextInt(20) * MS;
                switch (rnd.nextInt(10)) {
                    case 0, 1, 2, 3 -> {
                        int n = 1 + rnd.nextInt(30);
                        for (int i = 0; i < n; i++) {
                            e.onPacketSent(seq++ & 0xFFFF, rnd.nextInt(1500), now, rnd.nextInt(3) - 1,
                                    rnd.nextBoolean());
                        }
                    }
                    case 4, 5, 6 -> {
                        buf.clear();
                        int base = rnd.nextInt(4) == 0 ? rnd.nextInt(65536) : (seq - rnd.nextInt(100)) & 0xFFFF;
                        long t = (rnd.nextLong() >> 20);
                        builder.reset(1, 2, base, t, step);
                        int count = rnd.nextInt(80);
                        int s = base;
                        for (int i = 0; i < count; i++) {
                            s += rnd.nextInt(3);
                            t += rnd.nextInt(5) == 0 ? rnd.nextInt(2_000_000) - 1_000_000 : rnd.nextInt(20_000);
                            builder.addReceived(s & 0xFFFF, t);
                        }
                        int len = builder.write(buf);
                        if (len > 0 && view.wrap(buf, 0, len)) {
                            e.onTransportFeedback(view, now);
                        }
                    }
                    case 7 -> {
                        buf.clear();
                        byte[] junk = new byte[4 + rnd.nextInt(60)];
                        rnd.nextBytes(junk);
                        junk[0] = (byte) 0x8F;
                        junk[1] = (byte) 205;
                        buf.writeBytes(junk);
                        view.wrap(buf, 0, junk.length);
                        e.onTransportFeedback(view, now);
                    }
                    case 8 -> {
                        e.onRemb(rnd.nextLong() >> rnd.nextInt(64), now);
                        e.onRtt(rnd.nextLong() >> rnd.nextInt(64));
                        e.onLossReport(rnd.nextInt(600) - 100, now);
                    }
                    default -> {
                        ProbeCluster c = e.nextProbe(now);
                        if (c != null) {
                            assertThat(c.bitrateBps()).isBetween(1L, settings.maxBps());
                        }
                        e.requestProbe(rnd.nextLong() >> rnd.nextInt(64), now);
                    }
                }
                assertThat(e.targetBitrateBps()).isBetween(settings.minBps(), settings.maxBps());
                assertThat(e.pacingRateBps()).isPositive();
                assertThat(e.inFlightBytes()).isNotNegative();
            }
            assertThat(e.state()).isNotEmpty();
        }
    }
}
