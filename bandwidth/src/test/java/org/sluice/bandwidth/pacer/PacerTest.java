package org.sluice.bandwidth.pacer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PacerTest {

    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;
    private static final long T0 = 7_000 * SECOND; // an arbitrary origin, as System.nanoTime has

    /** An item: which packet it is and when it arrived. */
    record Item(int id, PacingClass cls, long enqueuedNanos) {
    }

    /** Records what was sent and dropped. */
    static final class Recorder implements Pacer.Sink<Item>, Pacer.Dropper<Item> {
        final List<Item> sent = new ArrayList<>();
        final List<Long> sentAt = new ArrayList<>();
        final List<Integer> sentSizes = new ArrayList<>();
        final List<Item> dropped = new ArrayList<>();
        final List<DropReason> dropReasons = new ArrayList<>();
        long now;

        @Override
        public void send(Item item, int sizeBytes, PacingClass cls) {
            assertThat(cls).isEqualTo(item.cls());
            sent.add(item);
            sentAt.add(now);
            sentSizes.add(sizeBytes);
        }

        @Override
        public void drop(Item item, int sizeBytes, PacingClass cls, DropReason reason) {
            dropped.add(item);
            dropReasons.add(reason);
        }

        long bytesSentBetween(long fromInclusive, long toExclusive) {
            long bytes = 0;
            for (int i = 0; i < sent.size(); i++) {
                long at = sentAt.get(i);
                if (at >= fromInclusive && at < toExclusive) {
                    bytes += sentSizes.get(i);
                }
            }
            return bytes;
        }
    }

    /**
     * Drives a pacer the way its event loop will: every millisecond, first offers the arrivals (the
     * fast path, else the queue), then drains when {@link Pacer#nextSendNanos} says it is time.
     */
    static final class Harness {
        final Recorder recorder = new Recorder();
        final Pacer<Item> pacer;
        long now = T0;
        int nextId;
        int passedThrough;

        Harness(PacerConfig config, long pacingBps, long paddingBps) {
            pacer = new Pacer<>(config, recorder);
            pacer.setRates(pacingBps, paddingBps);
        }

        void offer(int size, PacingClass cls) {
            Item item = new Item(nextId++, cls, now);
            recorder.now = now;
            if (pacer.canSendNow(size, now)) {
                passedThrough++;
                recorder.send(item, size, cls);
            } else {
                assertThat(pacer.enqueue(item, size, cls, now)).isTrue();
            }
        }

        void tick() {
            recorder.now = now;
            if (pacer.nextSendNanos(now) <= now) {
                pacer.drain(now, recorder);
            }
            now += MS;
        }

        void runFor(long nanos) {
            long end = now + nanos;
            while (now < end) {
                tick();
            }
        }
    }

    @Test
    void sendsAtThePacingRateWhenOfferedMore() {
        long rate = 1_000_000;
        Harness h = new Harness(PacerConfig.defaults().withQueueTimeTargetNanos(0).withMaxQueueTimeNanos(10 * SECOND),
                rate, 0);
        // 2 Mbit/s offered: a 1200-byte packet every 4.8 ms, for 3 s.
        long start = h.now;
        double nextArrival = start;
        while (h.now < start + 3 * SECOND) {
            while (nextArrival <= h.now) {
                h.offer(1200, PacingClass.VIDEO);
                nextArrival += 4.8 * MS;
            }
            h.tick();
        }
        for (int second = 0; second < 3; second++) {
            long bytes = h.recorder.bytesSentBetween(start + second * SECOND, start + (second + 1) * SECOND);
            assertThat(bytes * 8.0).as("bits sent in second %d", second).isCloseTo(rate, org.assertj.core.data.Percentage.withPercentage(5));
        }
        assertThat(h.pacer.effectiveRateBps()).isEqualTo(rate);
        assertThat(h.pacer.queuedPackets()).isGreaterThan(0);
    }

    @Test
    void sendsAtTheRateWithinEverySecondAtOtherRates() {
        for (long rate : new long[] {150_000, 2_500_000, 30_000_000}) {
            Harness h = new Harness(PacerConfig.defaults().withQueueTimeTargetNanos(0)
                    .withMaxQueueTimeNanos(100 * SECOND).withMaxItems(1 << 20), rate, 0);
            long start = h.now;
            double interval = 1200 * 8 * 1e9 / (rate * 1.5);
            double nextArrival = start;
            while (h.now < start + 2 * SECOND) {
                while (nextArrival <= h.now) {
                    h.offer(1200, PacingClass.VIDEO);
                    nextArrival += interval;
                }
                h.tick();
            }
            long bytes = h.recorder.bytesSentBetween(start + SECOND, start + 2 * SECOND);
            assertThat(bytes * 8.0).as("rate %d", rate).isCloseTo(rate, org.assertj.core.data.Percentage.withPercentage(5));
        }
    }

    @Test
    void sendsAudioThenRetransmissionsThenVideoThenPadding() {
        Recorder r = new Recorder();
        Pacer<Item> pacer = new Pacer<>(PacerConfig.defaults(), r);
        pacer.setRates(10_000_000, 1_000_000);
        long now = T0;
        assertThat(pacer.nextSendNanos(now)).isEqualTo(Long.MAX_VALUE);
        pacer.enqueue(new Item(0, PacingClass.VIDEO, now), 100, PacingClass.VIDEO, now);
        pacer.enqueue(new Item(1, PacingClass.PADDING, now), 100, PacingClass.PADDING, now);
        pacer.enqueue(new Item(2, PacingClass.RETRANSMISSION, now), 100, PacingClass.RETRANSMISSION, now);
        pacer.enqueue(new Item(3, PacingClass.VIDEO, now), 100, PacingClass.VIDEO, now);
        pacer.enqueue(new Item(4, PacingClass.AUDIO, now), 100, PacingClass.AUDIO, now);
        pacer.enqueue(new Item(5, PacingClass.RETRANSMISSION, now), 100, PacingClass.RETRANSMISSION, now);
        assertThat(pacer.queuedPackets()).isEqualTo(6);
        assertThat(pacer.queuedBytes()).isEqualTo(600);
        assertThat(pacer.canSendNow(100, now)).as("nothing jumps a non-empty queue").isFalse();

        now += 10 * MS;
        r.now = now;
        assertThat(pacer.nextSendNanos(now)).isEqualTo(now);
        assertThat(pacer.drain(now, r)).isEqualTo(6);
        assertThat(r.sent).extracting(Item::id).containsExactly(4, 2, 5, 0, 3, 1);
        assertThat(pacer.queuedPackets()).isZero();
        assertThat(pacer.queuedBytes()).isZero();
        assertThat(pacer.averageQueueTimeNanos()).isEqualTo(10 * MS);
        assertThat(pacer.maxQueueTimeNanos()).isEqualTo(10 * MS);
    }

    @Test
    void audioOvertakesQueuedVideoAtTheNextDrain() {
        Harness h = new Harness(PacerConfig.defaults(), 500_000, 0);
        for (int i = 0; i < 40; i++) {
            h.offer(1200, PacingClass.VIDEO); // 48 KB: about 0.8 s at 500 kbit/s
        }
        h.runFor(100 * MS);
        int audioId = h.nextId;
        h.offer(100, PacingClass.AUDIO);
        long offeredAt = h.now;
        h.runFor(20 * MS);
        int index = h.recorder.sent.stream().map(Item::id).toList().indexOf(audioId);
        assertThat(index).isPositive();
        assertThat(h.recorder.sentAt.get(index)).as("not held by the video's debt").isEqualTo(offeredAt);
        assertThat(h.pacer.queuedPackets(PacingClass.VIDEO)).isPositive();
    }

    @Test
    void keyframeBurstIsSmoothedAndNotDropped() {
        long rate = 1_000_000;
        Harness h = new Harness(PacerConfig.defaults(), rate, 0);
        long start = h.now;
        // 300 kbit/s of steady video (1000-byte packets every 26.7 ms) for 3 s, and at 1 s a
        // keyframe of 80 packets of 1100 bytes (704 kbit) arriving at once.
        double nextArrival = start;
        int keyframeFirst = -1;
        while (h.now < start + 3 * SECOND) {
            while (nextArrival <= h.now) {
                h.offer(1000, PacingClass.VIDEO);
                nextArrival += 26.7 * MS;
            }
            if (h.now == start + SECOND) {
                keyframeFirst = h.nextId;
                for (int i = 0; i < 80; i++) {
                    h.offer(1100, PacingClass.VIDEO);
                }
            }
            h.tick();
        }
        assertThat(h.recorder.dropped).isEmpty();
        assertThat(h.pacer.queuedPackets()).isZero();
        assertThat(h.recorder.sent).hasSize(h.nextId);
        // Spread out: no 100 ms window carries more than the rate plus the burst allowance and a packet.
        long windowLimit = rate / 8 / 10 + rate / 8 * 40 / 1000 + 1100;
        for (long t = start; t < start + 3 * SECOND; t += 10 * MS) {
            assertThat(h.recorder.bytesSentBetween(t, t + 100 * MS)).isLessThanOrEqualTo(windowLimit);
        }
        // The keyframe's last packet leaves once its 704 kbit (less the 40 ms burst built up by the
        // steady stream, 40 kbit) went out at 1 Mbit/s: about 0.66 s later.
        int last = h.recorder.sent.stream().map(Item::id).toList().indexOf(keyframeFirst + 79);
        long keyframeSpread = h.recorder.sentAt.get(last) - (start + SECOND);
        assertThat(keyframeSpread).isBetween(620 * MS, 720 * MS);
        assertThat(h.pacer.maxQueueTimeNanos()).isLessThan(PacerConfig.defaults().queueTimeTargetNanos() + 100 * MS);
    }

    @Test
    void aQueueThatWouldWaitTooLongRaisesTheRate() {
        long rate = 1_000_000;
        Harness h = new Harness(PacerConfig.defaults(), rate, 0);
        for (int i = 0; i < 125; i++) {
            h.offer(1200, PacingClass.VIDEO); // 150 KB = 1.2 Mbit: 1.2 s at the pacing rate
        }
        assertThat(h.pacer.effectiveRateBps()).isGreaterThan(rate);
        assertThat(h.pacer.expectedQueueTimeNanos()).isLessThanOrEqualTo(SECOND);
        h.runFor(1_100 * MS);
        assertThat(h.pacer.queuedPackets()).isZero();
        assertThat(h.recorder.dropped).isEmpty();
        assertThat(h.pacer.maxQueueTimeNanos()).isLessThanOrEqualTo(SECOND + 10 * MS);
        assertThat(h.pacer.effectiveRateBps()).isEqualTo(rate);
    }

    @Test
    void theRaiseIsCapped() {
        long rate = 1_000_000;
        Harness h = new Harness(PacerConfig.defaults(), rate, 0);
        for (int i = 0; i < 1000; i++) {
            h.offer(1200, PacingClass.VIDEO); // 9.6 Mbit
        }
        assertThat(h.pacer.effectiveRateBps()).isEqualTo(2 * rate);
    }

    @Test
    void itemsWaitingLongerThanTheLimitAreDroppedAndCounted() {
        Harness h = new Harness(PacerConfig.defaults().withQueueTimeTargetNanos(0), 100_000, 0);
        for (int i = 0; i < 100; i++) {
            h.offer(1000, PacingClass.VIDEO); // 800 kbit: 8 s at 100 kbit/s
        }
        h.runFor(3 * SECOND);
        long dropped = h.pacer.droppedPackets(DropReason.QUEUE_TIME);
        assertThat(dropped).isPositive();
        assertThat(h.recorder.dropped).hasSize((int) dropped);
        assertThat(h.recorder.dropReasons).containsOnly(DropReason.QUEUE_TIME);
        assertThat(h.pacer.droppedBytes(DropReason.QUEUE_TIME)).isEqualTo(dropped * 1000);
        assertThat(h.recorder.sent.size() + dropped + h.pacer.queuedPackets()).isEqualTo(100);
        assertThat(h.pacer.maxQueueTimeNanos()).isLessThanOrEqualTo(2 * SECOND);
        // All arrived together: what was not sent within 2 s is dropped, in order, and nothing is left.
        int lastSent = h.recorder.sent.get(h.recorder.sent.size() - 1).id();
        assertThat(h.recorder.dropped).allMatch(item -> item.id() > lastSent);
        assertThat(h.recorder.dropped).extracting(Item::id).isSorted();
        assertThat(h.recorder.sent).extracting(Item::id).isSorted();
        assertThat(h.pacer.queuedPackets()).isZero();
        // About 2 s at the rate were sent; everything that could not be sent within 2 s is gone or going.
        assertThat(h.recorder.sent.size()).isBetween(24, 40);
    }

    @Test
    void aFullQueueEvictsTheOldestOfTheLowestClassOrRefuses() {
        Recorder r = new Recorder();
        Pacer<Item> pacer = new Pacer<>(PacerConfig.defaults().withMaxItems(4), r);
        pacer.setRates(0, 0);
        long now = T0;
        for (int i = 0; i < 4; i++) {
            assertThat(pacer.enqueue(new Item(i, PacingClass.VIDEO, now), 100, PacingClass.VIDEO, now)).isTrue();
        }
        assertThat(pacer.enqueue(new Item(4, PacingClass.AUDIO, now), 50, PacingClass.AUDIO, now)).isTrue();
        assertThat(r.dropped).extracting(Item::id).containsExactly(0);
        assertThat(r.dropReasons).containsExactly(DropReason.QUEUE_FULL);
        for (int i = 5; i < 8; i++) {
            assertThat(pacer.enqueue(new Item(i, PacingClass.AUDIO, now), 50, PacingClass.AUDIO, now)).isTrue();
        }
        assertThat(pacer.queuedPackets(PacingClass.AUDIO)).isEqualTo(4);
        assertThat(pacer.enqueue(new Item(8, PacingClass.VIDEO, now), 100, PacingClass.VIDEO, now))
                .as("no room below video: refused, the caller keeps it").isFalse();
        assertThat(r.dropped).hasSize(4);
        assertThat(pacer.droppedPackets(DropReason.QUEUE_FULL)).isEqualTo(5);
        assertThat(pacer.enqueue(new Item(9, PacingClass.PADDING, now), 100, PacingClass.PADDING, now)).isFalse();
        assertThat(pacer.droppedPackets(DropReason.NO_PADDING_RATE)).isEqualTo(1);

        pacer.clear();
        assertThat(pacer.queuedPackets()).isZero();
        assertThat(pacer.queuedBytes()).isZero();
        assertThat(pacer.droppedPackets(DropReason.CLEARED)).isEqualTo(4);
        assertThat(pacer.nextSendNanos(now)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void trafficBelowTheRatePassesStraightThrough() {
        Harness h = new Harness(PacerConfig.defaults(), 1_000_000, 0);
        long start = h.now;
        // 64 kbit/s of audio and 400 kbit/s of video, evenly spread.
        while (h.now < start + 2 * SECOND) {
            long t = h.now - start;
            if (t % (20 * MS) == 0) {
                h.offer(160, PacingClass.AUDIO);
            }
            if (t % (20 * MS) == 10 * MS) {
                h.offer(1000, PacingClass.VIDEO);
            }
            h.tick();
        }
        assertThat(h.passedThrough).isEqualTo(h.nextId);
        assertThat(h.pacer.passThroughPackets()).isEqualTo(h.nextId);
        assertThat(h.pacer.sentPackets()).isEqualTo(h.nextId);
        assertThat(h.pacer.queuedSentPackets()).isZero();
        assertThat(h.pacer.queuedPackets()).isZero();
    }

    @Test
    void whileInDebtTheNextDrainIsAtLeastAProcessIntervalAway() {
        Recorder r = new Recorder();
        Pacer<Item> pacer = new Pacer<>(PacerConfig.defaults(), r);
        pacer.setRates(1_000_000, 0);
        long now = T0;
        assertThat(pacer.canSendNow(1200, now)).isTrue(); // the initial 5 ms of budget, now in debt
        assertThat(pacer.canSendNow(1200, now)).isFalse();
        pacer.enqueue(new Item(0, PacingClass.VIDEO, now), 1200, PacingClass.VIDEO, now);
        long next = pacer.nextSendNanos(now);
        // 1200 B at 1 Mbit/s is 9.6 ms, less the 5 ms of initial credit.
        assertThat(next - now).isBetween(5 * MS, 5 * MS + 100);
        r.now = next;
        assertThat(pacer.drain(next - 2 * MS, r)).isZero();
        assertThat(pacer.drain(next, r)).isEqualTo(1);
    }

    @Test
    void paddingFillsUpToThePaddingRateOnlyWhenNoMediaWaits() {
        Harness h = new Harness(PacerConfig.defaults(), 2_000_000, 500_000);
        long start = h.now;
        while (h.now < start + 2 * SECOND) {
            if (h.pacer.queuedPackets(PacingClass.PADDING) < 4) {
                Item item = new Item(h.nextId++, PacingClass.PADDING, h.now);
                h.pacer.enqueue(item, 250, PacingClass.PADDING, h.now);
            }
            h.tick();
        }
        long bits = h.recorder.bytesSentBetween(start + SECOND, start + 2 * SECOND) * 8;
        assertThat((double) bits).isCloseTo(500_000, org.assertj.core.data.Percentage.withPercentage(5));
    }

    @Test
    void ringsGrowByDoublingAndKeepOrder() {
        PacketRing<Integer> ring = new PacketRing<>(4);
        assertThat(ring.capacity()).isEqualTo(4);
        int next = 0;
        int expected = 0;
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 3 + round % 7; i++) {
                ring.add(next, next, next);
                next++;
            }
            for (int i = 0; i < 2 + round % 5 && !ring.isEmpty(); i++) {
                assertThat(ring.headItem()).isEqualTo(expected);
                assertThat(ring.headSize()).isEqualTo(expected);
                assertThat(ring.headTime()).isEqualTo(expected);
                ring.removeHead();
                expected++;
            }
        }
        assertThat(Integer.bitCount(ring.capacity())).isEqualTo(1);
        assertThat(ring.size()).isEqualTo(next - expected);
    }
}
