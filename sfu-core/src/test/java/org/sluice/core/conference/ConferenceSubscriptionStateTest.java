package org.sluice.core.conference;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.core.engine.SfuEngine;
import org.sluice.core.testing.ManualScheduler;
import org.sluice.core.testing.ReceivedRtp;
import org.sluice.core.testing.SimulatedParticipant;
import org.sluice.rtp.rtcp.RembView;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.core.conference.ConferenceTestSupport.CONNECT;
import static org.sluice.core.conference.ConferenceTestSupport.RECEIVE;
import static org.sluice.core.conference.ConferenceTestSupport.awaitConnected;
import static org.sluice.core.conference.ConferenceTestSupport.settle;
import static org.sluice.core.conference.ConferenceTestSupport.startEngine;

/**
 * A subscriber is told when a track it subscribed to stops and starts again, and why: its own pause, the publisher's
 * mute, or its bandwidth. The bandwidth case runs the real chain: the subscriber's REMB caps its estimate, its leg's
 * allocator holds the video (audio keeps flowing), the room tells it, and a higher REMB brings the video back.
 */
class ConferenceSubscriptionStateTest {

    private static final Duration TICK = Duration.ofMillis(300);

    private final ManualScheduler scheduler = new ManualScheduler();
    private SfuEngine engine;
    private SimulatedParticipant publisher;
    private SimulatedParticipant subscriber;
    private ScheduledExecutorService media;

    @BeforeEach
    void openRoom() throws Exception {
        engine = startEngine(scheduler);
        publisher = SimulatedParticipant.join(engine.conferences(), "room", "pub");
        publisher.negotiate(CONNECT);
        subscriber = SimulatedParticipant.join(engine.conferences(),
                new JoinRequest("room", "sub", null, true, false, true), false);
        settle(List.of(publisher, subscriber));
        awaitConnected(engine, "room", 2);
        media = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void closeRoom() {
        media.shutdownNow();
        subscriber.close();
        publisher.close();
        engine.close();
    }

    private String audio() {
        return publisher.publishedTrack("0");
    }

    private String video() {
        return publisher.publishedTrack("1");
    }

    private ConferenceEvent.SubscriptionState awaitState(String trackId, boolean paused, PauseCause reason)
            throws InterruptedException {
        return subscriber.awaitEvent(ConferenceEvent.SubscriptionState.class,
                e -> e.trackId().equals(trackId) && e.paused() == paused && e.reason() == reason, RECEIVE);
    }

    @Test
    void theSubscribersOwnPauseIsReportedAndSoIsItsEnd() throws Exception {
        subscriber.participant().setPreferences(video(), new SubscriptionPreferences(true, 0, null, 100));
        ConferenceEvent.SubscriptionState paused = awaitState(video(), true, PauseCause.PREFERENCE);
        assertThat(paused).isNotNull();
        assertThat(paused.participantId()).isEqualTo(publisher.id());
        subscriber.participant().setPreferences(video(), SubscriptionPreferences.DEFAULT);
        assertThat(awaitState(video(), false, null)).isNotNull();
        assertThat(subscriber.drainEvents()).noneMatch(e -> e instanceof ConferenceEvent.SubscriptionState);
    }

    @Test
    void afterAResumeEveryStateIsToldAgain() throws Exception {
        subscriber.participant().setPreferences(video(), new SubscriptionPreferences(true, 0, null, 100));
        assertThat(awaitState(video(), true, PauseCause.PREFERENCE)).isNotNull();
        subscriber.participant().detach();
        java.util.concurrent.BlockingQueue<ConferenceEvent> resumed = new java.util.concurrent.LinkedBlockingQueue<>();
        engine.conferences().resume(subscriber.id(), subscriber.participant().resumeToken(), resumed::add);
        scheduler.advance(TICK);
        List<String> states = new java.util.ArrayList<>();
        for (ConferenceEvent e : resumed) {
            if (e instanceof ConferenceEvent.SubscriptionState state) {
                states.add(state.trackId() + " " + (state.paused() ? "paused " + state.reason() : "active"));
            }
        }
        assertThat(states).containsExactlyInAnyOrder(video() + " paused PREFERENCE", audio() + " active");
        scheduler.advance(TICK);
        assertThat(resumed.stream().filter(e -> e instanceof ConferenceEvent.SubscriptionState)).hasSize(2);
    }

    @Test
    void thePublishersMuteIsReportedToItsSubscribers() throws Exception {
        publisher.participant().setMuted(audio(), true);
        assertThat(awaitState(audio(), true, PauseCause.PUBLISHER_MUTED)).isNotNull();
        publisher.participant().setMuted(audio(), false);
        assertThat(awaitState(audio(), false, null)).isNotNull();
    }

    @Test
    void aDownlinkThatCannotCarryTheVideoPausesItKeepsTheAudioAndResumesWhenItRecovers() throws Exception {
        AtomicInteger frame = new AtomicInteger();
        // 30 frames and 50 audio packets a second, a key frame every second.
        media.scheduleAtFixedRate(() -> {
            int n = frame.incrementAndGet();
            if (n % 3 == 0) {
                if (n % 90 == 0) {
                    publisher.sendKeyFrame((byte) n);
                } else {
                    publisher.sendDeltaFrame((byte) n);
                }
            }
            if (n % 2 == 0) {
                publisher.sendAudio((byte) n);
            }
        }, 0, 10, TimeUnit.MILLISECONDS);
        AtomicLong remb = new AtomicLong(40_000); // below what audio is counted at: nothing is left for video
        media.scheduleAtFixedRate(() -> sendRemb(remb.get()), 1_500, 100, TimeUnit.MILLISECONDS);

        // Held once its lowest layer has not fit for LegAllocator's two seconds.
        ConferenceEvent.SubscriptionState paused = tickUntil(video(), true, PauseCause.BANDWIDTH, Duration.ofSeconds(9));
        assertThat(paused).as("the video is paused for bandwidth").isNotNull();
        long videoSsrc = subscriber.ssrcOf(video());
        long audioSsrc = subscriber.ssrcOf(audio());
        Thread.sleep(200); // packets already on their way
        subscriber.peer().drainRtp();
        List<ReceivedRtp> whilePaused = subscriber.peer().awaitRtp(p -> true, 1_000, Duration.ofMillis(700));
        assertThat(whilePaused).as("audio keeps flowing").anyMatch(p -> p.ssrc() == audioSsrc);
        assertThat(whilePaused).as("no video while paused").noneMatch(p -> p.ssrc() == videoSsrc);
        assertThat(engine.congestionCounters().bandwidthPauses.sum()).isPositive();
        ParticipantStats stats = engine.conferences().participants("room").stream()
                .filter(s -> s.info().id().equals(subscriber.id())).findFirst().orElseThrow();
        assertThat(stats.received()).anyMatch(r -> r.trackId().equals(video()) && r.pause() == PauseCause.BANDWIDTH);
        assertThat(stats.received()).anyMatch(r -> r.trackId().equals(audio()) && r.pause() == null);

        remb.set(5_000_000);
        assertThat(tickUntil(video(), false, null, Duration.ofSeconds(6))).as("resumed").isNotNull();
        List<ReceivedRtp> resumed = subscriber.peer().awaitRtp(p -> p.ssrc() == videoSsrc, 3, RECEIVE);
        assertThat(resumed).as("video flows again").hasSizeGreaterThanOrEqualTo(3);
        assertThat(resumed.get(0).payload()[0] & 0x01).as("from a key frame (VP8 P bit clear)").isZero();
    }

    private void sendRemb(long bps) {
        ByteBuf out = Unpooled.buffer(32);
        try {
            RembView.write(out, 0x5EED, bps, new long[] {subscriber.ssrcOf(video())});
            subscriber.peer().sendRtcp(out);
        } catch (RuntimeException e) {
            // the peer is closing
        } finally {
            out.release();
        }
    }

    /** Runs the room's timer until the subscriber is told the state, or {@code timeout} passes. */
    private ConferenceEvent.SubscriptionState tickUntil(String trackId, boolean paused, PauseCause reason,
                                                        Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            scheduler.advance(TICK);
            ConferenceEvent.SubscriptionState state = subscriber.awaitEvent(ConferenceEvent.SubscriptionState.class,
                    e -> e.trackId().equals(trackId) && e.paused() == paused && e.reason() == reason,
                    Duration.ofMillis(100));
            if (state != null) {
                return state;
            }
        }
        return null;
    }
}
