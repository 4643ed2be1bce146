package org.sluice.core.conference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.core.engine.EngineConfig;
import org.sluice.core.engine.SfuEngine;
import org.sluice.core.testing.AdjustableNanoClock;
import org.sluice.core.testing.ManualScheduler;
import org.sluice.core.testing.SimulatedParticipant;

import java.time.Clock;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Hostile offers: truncated, mutated and random SDP never escape as anything but a ConferenceException. */
class ConferenceOfferFuzzTest {

    private static final int CASES = 3_000;

    private SfuEngine engine;

    @BeforeEach
    void start() throws Exception {
        engine = SfuEngine.start(EngineConfig.loopback().withMediaLoops(1), Clock.systemUTC(),
                new AdjustableNanoClock(), new ManualScheduler(), null);
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    @Test
    void mutatedOffersAreAnsweredOrRefusedWithAConferenceError() throws Exception {
        SplittableRandom random = new SplittableRandom(0x5EED);
        List<TrackPublication> publications = List.of(
                new TrackPublication("0", TrackSource.MICROPHONE, false, List.of()),
                new TrackPublication("1", TrackSource.CAMERA, false, List.of()));
        int answered = 0;
        int refused = 0;
        try (SimulatedParticipant template = SimulatedParticipant.join(engine.conferences(), "fuzz", "template")) {
            template.ensureReceiveSections(2, 2);
            String valid = template.offerSdp();
            for (int i = 0; i < CASES; i++) {
                Participant p = engine.conferences().join(new JoinRequest("fuzz", "p" + i, null, true, true, true),
                        e -> { });
                try {
                    p.offer(mutate(valid, random), random.nextBoolean() ? publications : List.of());
                    answered++;
                } catch (ConferenceException e) {
                    refused++;
                    assertThat(e.getMessage()).isNotBlank();
                } finally {
                    p.leave();
                }
            }
        }
        assertThat(answered + refused).isEqualTo(CASES);
        assertThat(refused).isPositive();
        assertThat(engine.participantCount()).isZero();
        assertThat(engine.openTransports()).isZero();
    }

    private static String mutate(String sdp, SplittableRandom random) {
        switch (random.nextInt(5)) {
            case 0:
                return sdp.substring(0, random.nextInt(sdp.length() + 1));
            case 1: {
                char[] chars = sdp.toCharArray();
                for (int k = random.nextInt(1, 8); k > 0; k--) {
                    chars[random.nextInt(chars.length)] = (char) random.nextInt(32, 127);
                }
                return new String(chars);
            }
            case 2: {
                String[] lines = sdp.split("\r\n");
                StringBuilder out = new StringBuilder();
                for (String line : lines) {
                    if (random.nextInt(10) != 0) {
                        out.append(line).append("\r\n");
                    }
                }
                return out.toString();
            }
            case 3: {
                StringBuilder out = new StringBuilder();
                for (int k = random.nextInt(200); k > 0; k--) {
                    out.append((char) random.nextInt(0, 256));
                }
                return out.toString();
            }
            default:
                return sdp;
        }
    }
}
