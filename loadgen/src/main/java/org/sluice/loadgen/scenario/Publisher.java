package org.sluice.loadgen.scenario;

import io.netty.buffer.ByteBuf;
import org.sluice.loadgen.peer.ClientPeer;
import org.sluice.loadgen.peer.HttpSignaling;
import org.sluice.loadgen.peer.MediaHandler;
import org.sluice.loadgen.peer.OfferSdp;
import org.sluice.loadgen.peer.PeerNetwork;
import org.sluice.loadgen.peer.ServerAnswer;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A WHIP publisher sending through a {@link MediaSender}. */
public final class Publisher implements MediaHandler, AutoCloseable, Measurement.Sending {

    private final ClientPeer peer;
    private final MediaSender media;
    private HttpSignaling.Session session;
    private volatile SetupTiming setupTiming;

    private Publisher(PeerNetwork network, int index, MediaSettings settings) throws InterruptedException {
        this.peer = ClientPeer.open(network, this);
        this.media = new MediaSender(peer, index, settings);
    }

    /** Opens, publishes into {@code room} and connects; fails when that takes more than {@code timeoutMillis}. */
    public static Publisher connect(PeerNetwork network, int index, MediaSettings settings, HttpSignaling signaling,
                                    String room, long timeoutMillis)
            throws IOException, InterruptedException, ExecutionException, TimeoutException {
        Publisher publisher = new Publisher(network, index, settings);
        try {
            long start = System.nanoTime();
            String offer = OfferSdp.publisher(publisher.peer, publisher.media.audioSsrc(), publisher.media.videoSsrc());
            publisher.session = signaling.publish(room, offer);
            long answered = System.nanoTime();
            publisher.peer.connect(ServerAnswer.parse(publisher.session.answerSdp()), timeoutMillis)
                    .get(timeoutMillis + 1000, TimeUnit.MILLISECONDS);
            publisher.setupTiming = new SetupTiming(answered - start, publisher.peer.iceNanos(),
                    publisher.peer.dtlsNanos(), System.nanoTime() - start);
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
        media.start();
    }

    /** Stops sending and returns once the loop has stopped the timers. */
    public void stopMedia() throws InterruptedException, ExecutionException, TimeoutException {
        media.stop();
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
        media.onRtcp(compound);
    }

    /** Packets sent per stream id, key frames and key-frame requests; after {@link #stopMedia()}. */
    public SentCounts sent() throws InterruptedException, ExecutionException, TimeoutException {
        return media.sent();
    }

    /** What a publisher sent. */
    public record SentCounts(int videoStreamId, long videoPackets, int audioStreamId, long audioPackets,
                             long keyFrames, long keyFrameRequests, long sendFailures) {
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
