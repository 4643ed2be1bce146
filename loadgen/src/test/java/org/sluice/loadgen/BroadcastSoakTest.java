package org.sluice.loadgen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sluice.loadgen.peer.PeerNetwork;
import org.sluice.loadgen.report.ReportTable;
import org.sluice.loadgen.scenario.BroadcastSettings;
import org.sluice.loadgen.scenario.MediaSettings;
import org.sluice.loadgen.scenario.RunResult;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak as a CI test, two minutes long: the real server in-process on loopback, one WHIP publisher and ten WHEP
 * viewers, two viewers a second leaving and replaced from the last join to the end of the window, so that about
 * 250 viewer sessions are set up and torn down while the media flows. Shows that nothing is lost and every packet
 * passes its checks, every replacement connects, no session is left at the end, no buffer leaks ({@code
 * NettyLeakGuard}, registered for every test class, fails the class on a leak report) and memory stays flat.
 *
 * <p>{@link MemorySampler} reads memory every 5 s from 10 s into the run: the direct memory the media path's
 * allocator holds and the live heap after a full collection (server and generator share this JVM). The second
 * half's highest reading may exceed the first half's by a share and a slack. Between the two maxima about 120
 * viewers are replaced, so a leak of 64 KiB per viewer adds about 7.5 MiB, more than either bound allows at the
 * sizes seen here (about 4 MiB direct, 32 MiB heap; a run with such a leak put in the server failed both checks).
 */
class BroadcastSoakTest {

    private static final int VIEWERS = 10;
    private static final double CHURN_PER_SECOND = 2;
    /** Replacements in progress at once: enough that joins slowed down on a busy machine do not skip a tick. */
    private static final int SETUP_CONCURRENCY = 16;
    private static final Duration WARMUP = Duration.ofSeconds(5);
    private static final Duration WINDOW = Duration.ofSeconds(120);
    private static final Duration FIRST_SAMPLE = WARMUP.plusSeconds(5);
    private static final Duration SAMPLE_PERIOD = Duration.ofSeconds(5);
    private static final int SAMPLES = 24;
    private static final long MIB = 1024 * 1024;

    @Test
    @Timeout(value = 200, unit = TimeUnit.SECONDS)
    void twoMinutesOfChurnLoseNothingAndLeaveMemoryFlat() throws Exception {
        MediaSettings media = new MediaSettings(500_000, 30, 2000, 32_000, 1100);
        BroadcastSettings settings = new BroadcastSettings(1, VIEWERS, media, WARMUP, WINDOW, Duration.ofSeconds(1),
                SETUP_CONCURRENCY, Duration.ofSeconds(20), "ci-soak-", CHURN_PER_SECOND);
        RunResult result;
        List<MemorySampler.Sample> samples;
        int sessionsAfter;
        try (InProcessServer server = InProcessServer.start(1)) {
            try (MemorySampler sampler = MemorySampler.start(server, FIRST_SAMPLE, SAMPLE_PERIOD, SAMPLES)) {
                result = LoadGeneratorMain.run(settings, server.origin(), Optional.empty(), -1,
                        new PeerNetwork.Options(1, 2), System.out);
                samples = sampler.samples();
            }
            sessionsAfter = server.sessionCount();
        }
        List<MemorySampler.Sample> firstHalf = samples.subList(0, samples.size() / 2);
        List<MemorySampler.Sample> secondHalf = samples.subList(samples.size() / 2, samples.size());
        System.out.print(ReportTable.of(result));
        System.out.print(MemorySampler.table(samples));
        System.out.print(halves("allocator direct", firstHalf, secondHalf, MemorySampler.Sample::allocatorDirect));
        System.out.print(halves("Netty direct", firstHalf, secondHalf, MemorySampler.Sample::nettyDirect));
        System.out.print(halves("heap after GC", firstHalf, secondHalf, MemorySampler.Sample::heapAfterGc));

        RunResult.Churn churn = result.churn();
        assertThat(churn.left()).as("viewers that left").isGreaterThanOrEqualTo(200);
        assertThat(churn.joined()).as("replacements that connected").isEqualTo(churn.left());
        assertThat(churn.failedJoins()).as("replacements that failed or were skipped").isZero();
        RunResult.Media m = result.media();
        assertThat(m.checkFailures()).as("packets failing the RTP or payload-stamp check").isZero();
        assertThat(m.undecryptable()).as("packets failing SRTP").isZero();
        assertThat(m.originMismatches()).as("viewer sequence and publisher sequence out of step").isZero();
        assertThat(m.streamSwitches()).isZero();
        assertThat(m.late()).isZero();
        assertThat(m.viewersWithoutVideo()).as("viewers present at the end without video").isZero();
        assertThat(m.lost()).as("packets lost on loopback, churned viewers included").isZero();
        assertThat(m.received()).isEqualTo(m.expected()).isPositive();
        assertThat(sessionsAfter).as("sessions left on the server after everyone left").isZero();

        assertThat(samples).as("memory samples taken in the window").hasSize(SAMPLES);
        assertFlat("direct memory of the media allocator", firstHalf, secondHalf,
                MemorySampler.Sample::allocatorDirect, 0.10, 4 * MIB);
        assertFlat("heap after a full GC", firstHalf, secondHalf, MemorySampler.Sample::heapAfterGc, 0.05, 4 * MIB);
    }

    /** The second half's highest reading is at most the first half's times {@code 1 + share}, plus {@code slack}. */
    private static void assertFlat(String what, List<MemorySampler.Sample> first, List<MemorySampler.Sample> second,
                                   ToLongFunction<MemorySampler.Sample> reading, double share, long slack) {
        long before = max(first, reading);
        long bound = (long) (before * (1 + share)) + slack;
        assertThat(max(second, reading))
                .as("%s: highest in the second half against %.2f MiB in the first (bound %.2f MiB)", what,
                        MemorySampler.mib(before), MemorySampler.mib(bound))
                .isLessThanOrEqualTo(bound);
    }

    private static long max(List<MemorySampler.Sample> samples, ToLongFunction<MemorySampler.Sample> reading) {
        return samples.stream().mapToLong(reading).max().orElseThrow();
    }

    private static String halves(String what, List<MemorySampler.Sample> first, List<MemorySampler.Sample> second,
                                 ToLongFunction<MemorySampler.Sample> reading) {
        return String.format(Locale.ROOT, "%-17s highest in the first half %.2f MiB, in the second %.2f MiB%n", what,
                MemorySampler.mib(max(first, reading)), MemorySampler.mib(max(second, reading)));
    }
}
