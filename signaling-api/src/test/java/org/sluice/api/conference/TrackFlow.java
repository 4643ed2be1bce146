package org.sluice.api.conference;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

/**
 * Assertions on whether one remote track's media reaches a page, from two {@code getStats()} samples a window
 * apart. Each returns the samples so tests can print the numbers they measured.
 */
final class TrackFlow {

    /** How long a sample window is. */
    static final Duration WINDOW = Duration.ofMillis(1500);
    /** How long media already in flight (or a keyframe after a resume) may take to settle. */
    static final Duration SETTLE = Duration.ofMillis(1000);
    /** How long a track may take to (re)start decoding. */
    static final Duration START = Duration.ofSeconds(30);

    private TrackFlow() {
    }

    /** Two samples of one track at a page. */
    record Samples(ClientPage.Received before, ClientPage.Received after) {

        long packetDelta() {
            return after.packets() - before.packets();
        }

        long frameDelta() {
            return after.frames() - before.frames();
        }

        @Override
        public String toString() {
            return "packets " + before.packets() + "→" + after.packets() + ", frames " + before.frames() + "→"
                    + after.frames() + ", height " + before.height() + "→" + after.height();
        }
    }

    /** Samples {@code trackId} at {@code page} twice, {@link #WINDOW} apart. */
    static Samples sample(ClientPage page, String trackId) throws Exception {
        ClientPage.Received before = page.received(trackId);
        Thread.sleep(WINDOW.toMillis());
        return new Samples(before, page.received(trackId));
    }

    /**
     * Waits (bounded) until {@code trackId}'s packets increase at {@code page} over a window, and for video also its
     * decoded frames; fails otherwise.
     */
    static Samples assertFlowing(ClientPage page, String trackId, boolean video, String what) throws Exception {
        Samples s = Polling.until(() -> sample(page, trackId),
                x -> x.packetDelta() > 0 && (!video || x.frameDelta() > 0), START);
        assertThat(s.packetDelta()).as("%s: packets of %s at %s increase (%s)", what, trackId, page.name(), s)
                .isPositive();
        if (video) {
            assertThat(s.frameDelta()).as("%s: frames of %s decode at %s (%s)", what, trackId, page.name(), s)
                    .isPositive();
        }
        return s;
    }

    /** After {@link #SETTLE}, {@code trackId}'s packets at {@code page} stay flat over a window (bounded retries). */
    static Samples assertStopped(ClientPage page, String trackId, String what) throws Exception {
        Thread.sleep(SETTLE.toMillis());
        Samples s = Polling.until(() -> sample(page, trackId), x -> x.packetDelta() == 0, Duration.ofSeconds(6));
        assertThat(s.packetDelta()).as("%s: packets of %s at %s stay flat (%s)", what, trackId, page.name(), s)
                .isZero();
        return s;
    }
}
