package org.sluice.rtp.nack;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives a {@link NackGenerator} and a naive reference model (a HashMap of missing sequence numbers)
 * with the same random stream of arrivals: loss, reordering, duplication, retransmissions that
 * answer NACKs after a delay, occasional jumps and restarts, wrap-around. After every step both must
 * agree on the return value, the NACK list, the counters and the keyframe flag.
 */
class NackGeneratorPropertyTest {

    private static final long MS = 1_000_000L;
    private static final int STEPS = 20_000;

    /**
     * The reference: the rules of {@link NackGenerator} written as plainly as possible, over a
     * HashMap keyed by unwrapped sequence number, sorting keys whenever order matters.
     */
    static final class Model {
        final NackSettings s;
        final Map<Long, long[]> missing = new HashMap<>(); // ext -> {firstSeen, lastNack, tries}
        boolean init;
        long highest;
        int farRun;
        int farLast;
        boolean keyframe;
        long nacked;
        long recovered;
        long givenUp;
        NackGenerator.TooLate filter;

        Model(NackSettings s) {
            this.s = s;
        }

        List<Long> sortedKeys() {
            List<Long> keys = new ArrayList<>(missing.keySet());
            keys.sort(null);
            return keys;
        }

        long onPacket(int seq, long now) {
            seq &= 0xFFFF;
            if (!init) {
                init = true;
                highest = seq;
                return -1;
            }
            int diff = (short) (seq - (int) highest);
            if (diff == 0) {
                farRun = 0;
                return -1;
            }
            if (diff > 0) {
                farRun = 0;
                if (diff > s.maxMissing()) {
                    restart(seq);
                    return -1;
                }
                for (int i = 1; i < diff; i++) {
                    missing.put(highest + i, new long[] {now, 0, 0});
                }
                highest += diff;
                boolean dropped = false;
                while (missing.size() > s.maxMissing()) {
                    missing.remove(sortedKeys().get(0));
                    givenUp++;
                    dropped = true;
                }
                if (dropped) {
                    keyframe = true;
                }
                return -1;
            }
            long[] e = missing.remove(highest + diff);
            if (e != null) {
                farRun = 0;
                if (e[2] > 0) {
                    recovered++;
                    return Math.max(0, now - e[1]);
                }
                return -1;
            }
            if (-diff > s.maxMissing()) {
                if (farRun > 0 && seq == ((farLast + 1) & 0xFFFF)) {
                    farRun++;
                } else {
                    farRun = 1;
                }
                farLast = seq;
                if (farRun >= NackGenerator.RESTART_RUN) {
                    restart(seq);
                }
            } else {
                farRun = 0;
            }
            return -1;
        }

        void restart(int seq) {
            givenUp += missing.size();
            missing.clear();
            farRun = 0;
            highest = seq;
            keyframe = true;
        }

        int[] collect(long now, long rtt, int max) {
            long interval = Math.max(rtt > 0 ? rtt : 100 * MS, s.minRetryIntervalNanos());
            List<Integer> out = new ArrayList<>();
            for (long key : sortedKeys()) {
                long[] e = missing.get(key);
                int seq = (int) (key & 0xFFFF);
                if (now - e[0] > s.maxAgeNanos()) {
                    missing.remove(key);
                    givenUp++;
                    keyframe = true;
                    continue;
                }
                boolean due = e[2] == 0 ? now - e[0] >= s.reorderHoldNanos() : now - e[1] >= interval;
                if (!due) {
                    continue;
                }
                if (e[2] >= s.maxTries()) {
                    missing.remove(key);
                    givenUp++;
                    keyframe = true;
                } else if (filter != null && filter.tooLate(seq, now)) {
                    missing.remove(key);
                    givenUp++;
                } else if (out.size() < max) {
                    out.add(seq);
                    e[2]++;
                    e[1] = now;
                    nacked++;
                }
            }
            return out.stream().mapToInt(Integer::intValue).toArray();
        }

        boolean takeKeyframe() {
            boolean k = keyframe;
            keyframe = false;
            return k;
        }
    }

    /** A packet the simulated network will deliver at {@code at}. */
    private record Delivery(long at, long order, int seq) {
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void agreesWithTheReferenceModel(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        NackSettings settings = new NackSettings(rnd.nextInt(1, 6), rnd.nextLong(50, 600) * MS,
                rnd.nextInt(4, 80), rnd.nextLong(0, 10) * MS, rnd.nextLong(0, 30) * MS);
        NackGenerator g = new NackGenerator(settings);
        Model m = new Model(settings);
        int lateMod = rnd.nextInt(7, 40);
        NackGenerator.TooLate filter = (seq, now) -> (seq * 7919L + now / (3 * MS)) % lateMod == 0;
        if (rnd.nextBoolean()) {
            g.tooLate(filter);
            m.filter = filter;
        }
        double loss = rnd.nextDouble(0, 0.3);
        double answer = rnd.nextDouble(0.2, 1);
        int[] out = new int[rnd.nextInt(1, 40)];
        long rtt = rnd.nextBoolean() ? 0 : rnd.nextLong(1, 120) * MS;

        PriorityQueue<Delivery> network = new PriorityQueue<>(
                (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
        long order = 0;
        long now = 0;
        int next = rnd.nextInt(65536);
        long samples = 0;
        long keyframes = 0;
        for (int step = 0; step < STEPS; step++) {
            now += rnd.nextLong(0, 4 * MS);
            int action = rnd.nextInt(100);
            if (action < 70) { // the sender sends the next packet; it may be lost, delayed, duplicated
                int seq = next;
                next = (next + 1) & 0xFFFF;
                if (rnd.nextDouble() >= loss) {
                    long delay = rnd.nextInt(10) == 0 ? rnd.nextLong(0, 15 * MS) : rnd.nextLong(0, MS);
                    network.add(new Delivery(now + delay, order++, seq));
                    if (rnd.nextInt(50) == 0) {
                        network.add(new Delivery(now + rnd.nextLong(0, 20 * MS), order++, seq));
                    }
                }
            } else if (action < 71) { // a jump, forward or backward, sometimes past the limits
                int jump = rnd.nextBoolean() ? rnd.nextInt(1, settings.maxMissing() * 2 + 2)
                        : rnd.nextInt(-0x8000, 0x8000);
                next = (next + jump) & 0xFFFF;
            } else if (action < 72) { // a packet from long ago
                network.add(new Delivery(now, order++, (next - rnd.nextInt(1, 0x8000)) & 0xFFFF));
            } else { // the receiver collects due NACKs; the sender answers some of them
                int n = g.collectDue(now, rtt, out);
                int[] expected = m.collect(now, rtt, out.length);
                assertThat(Arrays.copyOf(out, n)).as("step %d collect", step).containsExactly(expected);
                for (int i = 0; i < n; i++) {
                    if (rnd.nextDouble() < answer) {
                        network.add(new Delivery(now + rnd.nextLong(1, 100 * MS), order++, out[i]));
                    }
                }
            }
            while (!network.isEmpty() && network.peek().at <= now) {
                Delivery d = network.poll();
                long got = g.onPacket(d.seq, now);
                assertThat(got).as("step %d onPacket(%d)", step, d.seq).isEqualTo(m.onPacket(d.seq, now));
                if (got >= 0) {
                    samples++;
                }
            }
            boolean k = g.takeKeyframeNeeded();
            assertThat(k).as("step %d keyframe", step).isEqualTo(m.takeKeyframe());
            if (k) {
                keyframes++;
            }
            assertThat(g.missing()).as("step %d missing", step).isEqualTo(m.missing.size());
            assertThat(g.nackedPackets()).isEqualTo(m.nacked);
            assertThat(g.recovered()).isEqualTo(m.recovered);
            assertThat(g.givenUp()).isEqualTo(m.givenUp);
            assertThat(g.missing()).isLessThanOrEqualTo(settings.maxMissing());
        }
        // the run exercised what it is meant to
        assertThat(g.nackedPackets()).isPositive();
        assertThat(samples).isPositive();
        assertThat(keyframes).isPositive();
    }
}
