package org.sluice.loadgen.scenario;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.ScheduledFuture;
import org.sluice.loadgen.media.OpusSource;
import org.sluice.loadgen.media.StreamIdentity;
import org.sluice.loadgen.media.Vp8Source;
import org.sluice.loadgen.peer.ClientPeer;
import org.sluice.loadgen.peer.OfferSdp;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The sending half of a client: one paced VP8 stream (stream id {@code 2 * index}) and, unless audio is
 * off, one Opus stream ({@code 2 * index + 1}) through a {@link ClientPeer}, on its event loop; a video
 * frame's packets are flushed together. Key-frame requests (PLI, FIR) make the next frame a key frame,
 * at most one per {@value #MIN_KEY_FRAME_GAP_MILLIS} ms.
 */
final class MediaSender {

    private static final long MIN_KEY_FRAME_GAP_MILLIS = 200;

    private final ClientPeer peer;
    private final MediaSettings settings;
    private final Vp8Source video;
    private final OpusSource audio;
    private ScheduledFuture<?> videoTask;
    private ScheduledFuture<?> audioTask;
    private long lastKeyFrameRequestNanos;
    private long keyFrameRequests;

    MediaSender(ClientPeer peer, int index, MediaSettings settings) {
        this.peer = peer;
        this.settings = settings;
        ByteBuf scratch = Unpooled.buffer(settings.maxPayload() + 64);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        this.video = new Vp8Source(new StreamIdentity(random.nextLong(1, 1L << 32), OfferSdp.VP8_PAYLOAD_TYPE,
                2 * index), settings.videoBitsPerSecond(), settings.framesPerSecond(),
                settings.keyFrameIntervalFrames(), settings.maxPayload(), random.nextInt(1 << 16), scratch);
        this.audio = settings.audioBitsPerSecond() == 0 ? null
                : new OpusSource(new StreamIdentity(random.nextLong(1, 1L << 32), OfferSdp.OPUS_PAYLOAD_TYPE,
                2 * index + 1), settings.audioBitsPerSecond(), random.nextInt(1 << 16), scratch);
    }

    long videoSsrc() {
        return video.identity().ssrc();
    }

    /** The audio SSRC, or 0 without audio. */
    long audioSsrc() {
        return audio == null ? 0 : audio.identity().ssrc();
    }

    /** Starts sending on the peer's loop. */
    void start() {
        peer.eventLoop().execute(() -> {
            long framePeriod = 1_000_000_000L / settings.framesPerSecond();
            videoTask = peer.eventLoop().scheduleAtFixedRate(this::sendFrame, 0, framePeriod, TimeUnit.NANOSECONDS);
            if (audio != null) {
                audioTask = peer.eventLoop().scheduleAtFixedRate(this::sendAudio, 0, 20, TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Stops sending; returns once the loop has stopped the timers. */
    void stop() throws InterruptedException, ExecutionException, TimeoutException {
        peer.eventLoop().submit(() -> {
            if (videoTask != null) {
                videoTask.cancel(false);
            }
            if (audioTask != null) {
                audioTask.cancel(false);
            }
        }).get(5, TimeUnit.SECONDS);
    }

    private void sendFrame() {
        video.nextFrame(peer::sendRtp, System.nanoTime());
        peer.flush();
    }

    private void sendAudio() {
        audio.nextPacket(peer::sendRtp, System.nanoTime());
        peer.flush();
    }

    /** An RTCP compound arrived; on the loop. */
    void onRtcp(ByteBuf compound) {
        if (!RtcpFeedback.requestsKeyFrame(compound)) {
            return;
        }
        keyFrameRequests++;
        long now = System.nanoTime();
        if (now - lastKeyFrameRequestNanos >= TimeUnit.MILLISECONDS.toNanos(MIN_KEY_FRAME_GAP_MILLIS)) {
            lastKeyFrameRequestNanos = now;
            video.requestKeyFrame();
        }
    }

    /** What was sent; read on the loop after {@link #stop()}. */
    Publisher.SentCounts sent() throws InterruptedException, ExecutionException, TimeoutException {
        return peer.eventLoop().submit(() -> new Publisher.SentCounts(video.identity().streamId(), video.packetsSent(),
                audio == null ? -1 : audio.identity().streamId(), audio == null ? 0 : audio.packetsSent(),
                video.keyFrames(), keyFrameRequests, peer.dropsNotWritable() + peer.protectFailures()))
                .get(5, TimeUnit.SECONDS);
    }
}
