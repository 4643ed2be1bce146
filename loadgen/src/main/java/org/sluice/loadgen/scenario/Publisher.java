package org.sluice.loadgen.scenario;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.ScheduledFuture;
import org.sluice.loadgen.media.OpusSource;
import org.sluice.loadgen.media.StreamIdentity;
import org.sluice.loadgen.media.Vp8Source;
import org.sluice.loadgen.peer.ClientPeer;
import org.sluice.loadgen.peer.HttpSignaling;
import org.sluice.loadgen.peer.MediaHandler;
import org.sluice.loadgen.peer.OfferSdp;
import org.sluice.loadgen.peer.PeerNetwork;
import org.sluice.loadgen.peer.ServerAnswer;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A WHIP publisher: one VP8 stream (and one Opus stream unless audio is off) paced on its event loop,
 * each video frame's packets flushed together. A PLI or FIR makes the next frame a key frame (at most
 * one per {@value #MIN_KEY_FRAME_GAP_MILLIS} ms).
 */
public final class Publisher implements MediaHandler, AutoCloseable {

    private static final long MIN_KEY_FRAME_GAP_MILLIS = 200;

    private final ClientPeer peer;
    private final MediaSettings settings;
    private final Vp8Source video;
    private final OpusSource audio;
    private final ByteBuf scratch;
    private HttpSignaling.Session session;
    private ScheduledFuture<?> videoTask;
    private ScheduledFuture<?> audioTask;
    private long lastKeyFrameRequestNanos;
    private long keyFrameRequests;
    private volatile SetupTiming setupTiming;

    private Publisher(PeerNetwork network, int index, MediaSettings settings) throws InterruptedException {
        this.settings = settings;
        this.peer = ClientPeer.open(network, this);
        this.scratch = Unpooled.buffer(settings.maxPayload() + 64);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        this.video = new Vp8Source(new StreamIdentity(random.nextLong(1, 1L << 32), OfferSdp.VP8_PAYLOAD_TYPE,
                2 * index), settings.videoBitsPerSecond(), settings.framesPerSecond(),
                settings.keyFrameIntervalFrames(), settings.maxPayload(), random.nextInt(1 << 16), scratch);
        this.audio = settings.audioBitsPerSecond() == 0 ? null
                : new OpusSource(new StreamIdentity(random.nextLong(1, 1L << 32), OfferSdp.OPUS_PAYLOAD_TYPE,
                2 * index + 1), settings.audioBitsPerSecond(), random.nextInt(1 << 16), scratch);
    }

    /** Opens, publishes into {@code room} and connects; fails when that takes more than {@code timeoutMillis}. */
    public static Publisher connect(PeerNetwork network, int index, MediaSettings settings, HttpSignaling signaling,
                                    String room, long timeoutMillis)
            throws IOException, InterruptedException, ExecutionException, TimeoutException {
        Publisher publisher = new Publisher(network, index, settings);
        try {
            long start = System.nanoTime();
            String offer = OfferSdp.publisher(publisher.peer,
                    publisher.audio == null ? 0 : publisher.audio.identity().ssrc(), publisher.video.identity().ssrc());
            publisher.session = signaling.publish(room, offer);
            long answered = System.nanoTime();
            publisher.peer.connect(ServerAnswer.parse(publisher.session.answerSdp()), timeoutMillis)
                    .get(timeoutMillis + 1000, TimeUnit.MILLISECONDS);
            publisher.setupTiming = new SetupTiming(answered - start, publisher.peer.iceNanos(), publisher.peer.dtlsNanos(),
                    System.nanoTime() - start);
            return publisher;
        } catch (IOException | InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
            publisher.close();
            throw e;
        }
    }

    /** How long setting up took. */
    public SetupTiming setupTiming() {
        return setupTiming;
    }

    /** Starts sending on the peer's loop. */
    public void startMedia() {
        peer.eventLoop().execute(() -> {
            long framePeriod = 1_000_000_000L / settings.framesPerSecond();
            videoTask = peer.eventLoop().scheduleAtFixedRate(this::sendFrame, 0, framePeriod, TimeUnit.NANOSECONDS);
            if (audio != null) {
                audioTask = peer.eventLoop().scheduleAtFixedRate(this::sendAudio, 0, 20, TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Stops sending and returns once the loop has stopped the timers. */
    public void stopMedia() throws InterruptedException, ExecutionException, TimeoutException {
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

    /** This client's local UDP port. */
    public int localPort() {
        return peer.localAddress().getPort();
    }

    /** The server's media UDP port from its answer. */
    public int serverPort() {
        return peer.serverAddress().getPort();
    }

    @Override
    public void onRtp(ByteBuf packet, long nowNanos) {
        // a publisher receives no media
    }

    @Override
    public void onRtcp(ByteBuf compound) {
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

    /**
     * Packets sent per stream id, key frames and key-frame requests; read on the loop after
     * {@link #stopMedia()}.
     */
    public SentCounts sent() throws InterruptedException, ExecutionException, TimeoutException {
        return peer.eventLoop().submit(() -> new SentCounts(video.identity().streamId(), video.packetsSent(),
                audio == null ? -1 : audio.identity().streamId(), audio == null ? 0 : audio.packetsSent(),
                video.keyFrames(), keyFrameRequests, peer.dropsNotWritable() + peer.protectFailures()))
                .get(5, TimeUnit.SECONDS);
    }

    /** What a publisher sent. */
    public record SentCounts(int videoStreamId, long videoPackets, int audioStreamId, long audioPackets,
                             long keyFrames, long keyFrameRequests, long sendFailures) {

        /** Packets sent on the stream with this id, or -1 when it is not this publisher's. */
        public long packetsOf(int streamId) {
            if (streamId == videoStreamId) {
                return videoPackets;
            }
            return streamId == audioStreamId ? audioPackets : -1;
        }
    }

    /** Ends the WHIP session (best effort) and closes the peer. */
    public void close(HttpSignaling signaling) {
        if (session != null) {
            signaling.end(session);
        }
        close();
    }

    @Override
    public void close() {
        peer.close();
    }
}
