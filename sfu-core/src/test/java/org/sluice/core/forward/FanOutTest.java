package org.sluice.core.forward;

import io.netty.buffer.ByteBuf;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.core.forward.CollectingLeg.Sent;
import org.sluice.core.net.MediaLoop;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.codec.Codec;
import org.sluice.rtp.testing.RtpPacketBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fan-out across loops: a publisher stream on loop 0 reaches receivers on loop 0 directly and
 * receivers on loop 1 through its mailbox, each exactly once, and every buffer is released.
 */
class FanOutTest {

    private final DefaultEventLoop el0 = new DefaultEventLoop(new DefaultThreadFactory("fan-out-0"));
    private final DefaultEventLoop el1 = new DefaultEventLoop(new DefaultThreadFactory("fan-out-1"));
    private final MediaLoop loop0 = new MediaLoop(0, el0);
    private final MediaLoop loop1 = new MediaLoop(1, el1);
    private final MediaSlot slot = new MediaSlot(MediaKind.AUDIO, 2);
    private final InboundStream source = new InboundStream(0x5151, MediaKind.AUDIO, slot,
            new CodecTable(Map.of(111, Codec.OPUS)), ExtensionIds.NONE, 48_000,
            new KeyframeRequester(0x5151, ssrc -> { }, System::nanoTime, KeyframeRequester.DEFAULT_INTERVAL_NANOS),
            List.of(loop0, loop1));
    private final List<ByteBuf> published = new ArrayList<>();

    @AfterEach
    void stopLoops() throws InterruptedException {
        el0.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        el1.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        assertThat(el0.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(el1.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    private record Receiver(CollectingLeg leg, OutboundStream stream) {
    }

    private Receiver attach(int loopIndex, long ssrc) {
        return attach(loopIndex, ssrc, packet -> { });
    }

    private Receiver attach(int loopIndex, long ssrc, java.util.function.Consumer<ByteBuf> onSend) {
        CollectingLeg leg = new CollectingLeg(onSend);
        OutboundStream stream = new OutboundStream(leg, ssrc, slot, new CodecTable(Map.of(111, Codec.OPUS)),
                ExtensionIds.NONE, System::nanoTime);
        slot.addSink(stream, loopIndex);
        return new Receiver(leg, stream);
    }

    /** Publishes packets {@code first..first+count-1} on loop 0, as the publisher's transport would. */
    private void publish(int first, int count) throws Exception {
        el0.submit(() -> {
            RtpPacket view = new RtpPacket();
            for (int seq = first; seq < first + count; seq++) {
                ByteBuf packet = new RtpPacketBuilder().payloadType(111).ssrc(0x5151).sequenceNumber(seq)
                        .timestamp(960L * seq).payload(new byte[] {(byte) seq, (byte) (seq >> 8), 1, 2, 3})
                        .build();
                published.add(packet);
                view.wrap(packet);
                source.forward(packet, view, loop0);
                packet.release(); // the publisher's reference; other loops hold their own
            }
        }).get(10, TimeUnit.SECONDS);
    }

    /** Lets loop 1 run everything queued so far (mailbox drains included). */
    private void settle() throws Exception {
        for (int i = 0; i < 3; i++) {
            el1.submit(() -> { }).get(10, TimeUnit.SECONDS);
            el0.submit(() -> { }).get(10, TimeUnit.SECONDS);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(condition.getAsBoolean()).as("condition within 10 s").isTrue();
    }

    private static void assertReceivedExactlyOnce(Receiver r, int count, String thread) {
        List<Sent> sent = r.leg().sent();
        assertThat(r.leg().failures()).isEmpty();
        assertThat(sent).hasSize(count);
        for (int i = 0; i < sent.size(); i++) {
            Sent s = sent.get(i);
            assertThat(s.ssrc()).isEqualTo(r.stream().ssrc());
            assertThat(s.thread()).isEqualTo(thread);
            assertThat(s.payload()[0]).isEqualTo((byte) i);
            if (i > 0) {
                assertThat(s.sequenceNumber()).isEqualTo((sent.get(i - 1).sequenceNumber() + 1) & 0xFFFF);
            }
        }
    }

    @Test
    void everyReceiverOnEveryLoopGetsEveryPacketOnceOnItsOwnLoop() throws Exception {
        slot.attachSource(source);
        Receiver local1 = attach(0, 0xA1);
        Receiver local2 = attach(0, 0xA2);
        Receiver remote1 = attach(1, 0xB1);
        Receiver remote2 = attach(1, 0xB2);

        publish(0, 300);
        await(() -> remote1.leg().count() >= 300 && remote2.leg().count() >= 300);
        settle();

        assertReceivedExactlyOnce(local1, 300, "fan-out-0" + threadSuffix(local1));
        assertReceivedExactlyOnce(local2, 300, local1.leg().last().thread());
        assertReceivedExactlyOnce(remote1, 300, remote1.leg().last().thread());
        assertReceivedExactlyOnce(remote2, 300, remote1.leg().last().thread());
        assertThat(local1.leg().last().thread()).startsWith("fan-out-0");
        assertThat(remote1.leg().last().thread()).startsWith("fan-out-1");
        assertThat(published).allSatisfy(packet -> assertThat(packet.refCnt()).isZero());
    }

    private static String threadSuffix(Receiver r) {
        return r.leg().last().thread().substring("fan-out-0".length());
    }

    @Test
    void aRemovedReceiverGetsNothingMoreAndTheOthersCarryOn() throws Exception {
        slot.attachSource(source);
        Receiver local = attach(0, 0xA1);
        Receiver remoteKept = attach(1, 0xB1);
        Receiver remoteGone = attach(1, 0xB2);
        Receiver localGone = attach(0, 0xA2);

        publish(0, 50);
        await(() -> remoteGone.leg().count() >= 50 && remoteKept.leg().count() >= 50);
        slot.removeSink(remoteGone.stream());
        slot.removeSink(localGone.stream());
        publish(50, 50);
        await(() -> remoteKept.leg().count() >= 100);
        settle();

        assertThat(remoteGone.leg().count()).isEqualTo(50);
        assertThat(localGone.leg().count()).isEqualTo(50);
        assertReceivedExactlyOnce(local, 100, local.leg().last().thread());
        assertReceivedExactlyOnce(remoteKept, 100, remoteKept.leg().last().thread());
        assertThat(published).allSatisfy(packet -> assertThat(packet.refCnt()).isZero());
    }

    @Test
    void aLoopWithoutReceiversGetsNoHandOff() throws Exception {
        slot.attachSource(source);
        Receiver local = attach(0, 0xA1);

        publish(0, 20);
        settle();

        assertReceivedExactlyOnce(local, 20, local.leg().last().thread());
        assertThat(published).allSatisfy(packet -> assertThat(packet.refCnt()).isZero());
    }

    @Test
    void aStreamThatIsNotTheSourceIsNotFannedOut() throws Exception {
        Receiver local = attach(0, 0xA1);
        Receiver remote = attach(1, 0xB1);

        publish(0, 20); // the slot has no source
        settle();

        assertThat(local.leg().count()).isZero();
        assertThat(remote.leg().count()).isZero();
        assertThat(published).allSatisfy(packet -> assertThat(packet.refCnt()).isZero());
    }

    @Test
    void whatWaitsInAMailboxGoesOutReceiverByReceiverInGroupsEachReceiverInOrder() throws Exception {
        slot.attachSource(source);
        List<Integer> order = java.util.Collections.synchronizedList(new ArrayList<>());
        Receiver first = attach(1, 0xB1, packet -> order.add(1));
        Receiver second = attach(1, 0xB2, packet -> order.add(2));
        CountDownLatch resume = stallLoopOne();
        int count = 2 * RoundFanOut.CAPACITY + 8;

        publish(0, count); // all of it waits in loop 1's mailbox
        resume.countDown();
        await(() -> first.leg().count() >= count && second.leg().count() >= count);
        settle();

        assertReceivedExactlyOnce(first, count, first.leg().last().thread());
        assertReceivedExactlyOnce(second, count, first.leg().last().thread());
        List<Integer> expected = new ArrayList<>();
        for (int group : new int[] {RoundFanOut.CAPACITY, RoundFanOut.CAPACITY, 8}) {
            expected.addAll(java.util.Collections.nCopies(group, 1));
            expected.addAll(java.util.Collections.nCopies(group, 2));
        }
        if (RoundFanOut.enabled()) { // else -Dsluice.fanout=packet: one by one
            assertThat(order).as("a group to one receiver, then to the next").containsExactlyElementsOf(expected);
        }
        assertThat(published).allSatisfy(packet -> assertThat(packet.refCnt()).isZero());
    }

    /** Blocks loop 1 until the returned latch is counted down (at most 10 s). */
    private CountDownLatch stallLoopOne() throws InterruptedException {
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        el1.execute(() -> {
            stalled.countDown();
            try {
                resume.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(stalled.await(10, TimeUnit.SECONDS)).isTrue();
        return resume;
    }

    @Test
    void aStalledLoopsMailboxDropsWhatDoesNotFitReleasesItAndSparesTheOtherLoop() throws Exception {
        slot.attachSource(source);
        Receiver local = attach(0, 0xA1);
        Receiver remote = attach(1, 0xB1);
        CountDownLatch resume = stallLoopOne();

        publish(0, 2000); // loop 1 is busy: its mailbox fills up
        resume.countDown();
        await(() -> remote.leg().count() >= 1024);
        settle();

        assertReceivedExactlyOnce(local, 2000, local.leg().last().thread());
        assertThat(remote.leg().failures()).isEmpty();
        assertThat(remote.leg().count()).isEqualTo(1024); // the mailbox's capacity; the rest dropped
        assertThat(remote.leg().sent().get(1023).payload()[0]).isEqualTo((byte) 1023); // the oldest were kept
        assertThat(published).allSatisfy(packet -> assertThat(packet.refCnt()).isZero());
    }

    @Test
    void aMailboxOverflowIsCountedAndFollowedByAKeyframeRequestForTheVideoSource() throws Exception {
        RepairCounters counters = new RepairCounters();
        List<Long> requests = java.util.Collections.synchronizedList(new ArrayList<>());
        MediaSlot videoSlot = new MediaSlot(MediaKind.VIDEO, 2);
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
        KeyframeRequester keyframes = new KeyframeRequester(0x7777, requests::add, clock::get,
                KeyframeRequester.DEFAULT_INTERVAL_NANOS, counters);
        CodecTable vp8 = new CodecTable(Map.of(96, Codec.VP8));
        InboundStream video = new InboundStream(0x7777, MediaKind.VIDEO, videoSlot, vp8, ExtensionIds.NONE, 90_000,
                keyframes, List.of(loop0, loop1), counters, System::nanoTime);
        videoSlot.attachSource(video);
        CollectingLeg leg = new CollectingLeg();
        videoSlot.addSink(new OutboundStream(leg, 0xB1, videoSlot, vp8, ExtensionIds.NONE, System::nanoTime), 1);
        CountDownLatch resume = stallLoopOne();
        long before = counters.keyframeRequests(RepairCounters.KeyframeCause.OVERFLOW);
        int requestsBefore = requests.size(); // the new receiver's own request (SWITCH)
        clock.addAndGet(TimeUnit.SECONDS.toNanos(1)); // past the throttle interval of that request

        el0.submit(() -> {
            RtpPacket view = new RtpPacket();
            for (int seq = 0; seq < 1500; seq++) {
                ByteBuf packet = new RtpPacketBuilder().payloadType(96).ssrc(0x7777).sequenceNumber(seq)
                        .timestamp(3000L * (seq / 10)).payload(new byte[] {0x10, 0, 0, 0, 1, 2, 3}).build();
                published.add(packet);
                view.wrap(packet);
                video.forward(packet, view, loop0);
                packet.release();
            }
        }).get(10, TimeUnit.SECONDS);
        resume.countDown();
        for (int i = 0; i < 5; i++) {
            settle(); // the mailbox drains 256 packets per task
        }
        video.retire();
        settle();

        assertThat(counters.mailboxDrops.sum()).as("what did not fit the 1024-packet mailbox").isEqualTo(1500 - 1024);
        assertThat(counters.keyframeRequests(RepairCounters.KeyframeCause.OVERFLOW) - before)
                .as("one request per throttle interval, not one per dropped packet").isBetween(1L, 5L);
        assertThat(requests.size()).isGreaterThan(requestsBefore);
        assertThat(requests).allMatch(ssrc -> ssrc == 0x7777);
        assertThat(published).allSatisfy(packet -> assertThat(packet.refCnt()).isZero());
    }

    @Test
    void anAudioMailboxOverflowIsCountedWithoutAKeyframeRequest() throws Exception {
        RepairCounters counters = new RepairCounters();
        MediaSlot audioSlot = new MediaSlot(MediaKind.AUDIO, 2);
        CodecTable opus = new CodecTable(Map.of(111, Codec.OPUS));
        InboundStream audio = new InboundStream(0x5252, MediaKind.AUDIO, audioSlot, opus, ExtensionIds.NONE, 48_000,
                new KeyframeRequester(0x5252, ssrc -> { }, System::nanoTime, KeyframeRequester.DEFAULT_INTERVAL_NANOS,
                        counters), List.of(loop0, loop1), counters, System::nanoTime);
        audioSlot.attachSource(audio);
        audioSlot.addSink(new OutboundStream(new CollectingLeg(), 0xB2, audioSlot, opus, ExtensionIds.NONE,
                System::nanoTime), 1);
        CountDownLatch resume = stallLoopOne();
        el0.submit(() -> {
            RtpPacket view = new RtpPacket();
            for (int seq = 0; seq < 1100; seq++) {
                ByteBuf packet = new RtpPacketBuilder().payloadType(111).ssrc(0x5252).sequenceNumber(seq)
                        .timestamp(960L * seq).payload(new byte[] {1, 2, 3}).build();
                published.add(packet);
                view.wrap(packet);
                audio.forward(packet, view, loop0);
                packet.release();
            }
        }).get(10, TimeUnit.SECONDS);
        resume.countDown();
        for (int i = 0; i < 5; i++) {
            settle(); // the mailbox drains 256 packets per task
        }

        assertThat(counters.mailboxDrops.sum()).isEqualTo(1100 - 1024);
        assertThat(counters.keyframeRequests(RepairCounters.KeyframeCause.OVERFLOW)).isZero();
        assertThat(published).allSatisfy(packet -> assertThat(packet.refCnt()).isZero());
    }
}
