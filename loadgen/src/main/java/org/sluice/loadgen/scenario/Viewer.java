package org.sluice.loadgen.scenario;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import org.sluice.loadgen.check.StreamTracker;
import org.sluice.loadgen.check.ViewerChecks;
import org.sluice.loadgen.peer.ClientPeer;
import org.sluice.loadgen.peer.HttpSignaling;
import org.sluice.loadgen.peer.MediaHandler;
import org.sluice.loadgen.peer.OfferSdp;
import org.sluice.loadgen.peer.PeerNetwork;
import org.sluice.loadgen.peer.ServerAnswer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A WHEP viewer whose every received packet goes through {@link ViewerChecks}. */
public final class Viewer implements MediaHandler, AutoCloseable, Measurement.Receiving {

    private final ClientPeer peer;
    private final ViewerChecks checks;
    private HttpSignaling.Session session;
    private volatile SetupTiming setupTiming;

    private Viewer(PeerNetwork network, PartStats part) throws InterruptedException {
        this.peer = ClientPeer.open(network, this);
        this.checks = new ViewerChecks(peer.loopStats(), PartStats.on(part, peer.eventLoop()),
                OfferSdp.VP8_PAYLOAD_TYPE);
    }

    /** Opens, subscribes to {@code room} and connects; fails when that takes more than {@code timeoutMillis}. */
    public static Viewer connect(PeerNetwork network, HttpSignaling signaling, String room, long timeoutMillis)
            throws IOException, InterruptedException, ExecutionException, TimeoutException {
        return connect(network, signaling, room, timeoutMillis, null);
    }

    /** As above, also counting what it receives in {@code part} (null: a run of one part). */
    static Viewer connect(PeerNetwork network, HttpSignaling signaling, String room, long timeoutMillis,
                          PartStats part)
            throws IOException, InterruptedException, ExecutionException, TimeoutException {
        Viewer viewer = new Viewer(network, part);
        try {
            long start = System.nanoTime();
            viewer.session = signaling.view(room, OfferSdp.viewer(viewer.peer));
            long answered = System.nanoTime();
            viewer.peer.connect(ServerAnswer.parse(viewer.session.answerSdp()), timeoutMillis)
                    .get(timeoutMillis + 1000, TimeUnit.MILLISECONDS);
            viewer.setupTiming = new SetupTiming(answered - start, viewer.peer.iceNanos(), viewer.peer.dtlsNanos(),
                    System.nanoTime() - start);
            return viewer;
        } catch (IOException | InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
            viewer.close();
            throw e;
        }
    }

    public SetupTiming setupTiming() {
        return setupTiming;
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
        checks.onRtp(packet, nowNanos);
    }

    @Override
    public void onRtcp(ByteBuf compound) {
        // sender reports: counted by the peer's loop stats
    }

    /** A copy of this viewer's per-SSRC trackers and its failure count, taken on its loop. */
    public Tally tally() throws InterruptedException, ExecutionException, TimeoutException {
        return tally(checks, peer.eventLoop());
    }

    private static Tally tally(ViewerChecks checks, EventLoop loop)
            throws InterruptedException, ExecutionException, TimeoutException {
        return loop.submit(() -> {
            List<StreamTracker> copy = new ArrayList<>(checks.streams());
            return new Tally(copy, checks.failures());
        }).get(5, TimeUnit.SECONDS);
    }

    /**
     * What is left of this viewer to tally once it has left: its checks and its loop, without the peer (socket,
     * DTLS and SRTP state), so that a long run with churn does not keep every departed viewer's peer.
     */
    Measurement.Receiving departed() {
        return new Departed(checks, peer.eventLoop(), localPort());
    }

    private record Departed(ViewerChecks checks, EventLoop loop, int localPort) implements Measurement.Receiving {
        @Override
        public Tally tally() throws InterruptedException, ExecutionException, TimeoutException {
            return Viewer.tally(checks, loop);
        }
    }

    /**
     * A viewer's trackers at the end of a run (the tracker objects themselves: the loop no longer
     * touches them once the publishers stopped and the stream drained) and its failed checks.
     */
    public record Tally(List<StreamTracker> streams, long failures) {
    }

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
