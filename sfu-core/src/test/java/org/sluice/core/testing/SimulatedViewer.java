package org.sluice.core.testing;

import org.sluice.core.session.OfferRejectedException;
import org.sluice.core.session.SessionAnswer;
import org.sluice.core.session.SessionService;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A WHEP viewer over a {@link SimulatedPeer}: offers to receive Opus and VP8 and connects.
 * {@link #close()} ends the session (like DELETE) and closes the peer.
 */
public final class SimulatedViewer implements AutoCloseable {

    private final SessionService service;
    private final SimulatedPeer peer;
    private final SessionAnswer session;
    private final PeerAnswer answer;
    private boolean ended;

    private SimulatedViewer(SessionService service, SimulatedPeer peer, SessionAnswer session, PeerAnswer answer) {
        this.service = service;
        this.peer = peer;
        this.session = session;
        this.answer = answer;
    }

    /** Subscribes to {@code room} and connects within {@code timeout}. */
    public static SimulatedViewer start(SessionService service, String room, String name, Duration timeout)
            throws IOException, OfferRejectedException, TimeoutException, InterruptedException {
        return start(service, room, name, timeout, offer -> { });
    }

    /** As {@link #start(SessionService, String, String, Duration)}, with the offer changed by {@code options}. */
    public static SimulatedViewer start(SessionService service, String room, String name, Duration timeout,
                                        java.util.function.Consumer<PeerOffer> options)
            throws IOException, OfferRejectedException, TimeoutException, InterruptedException {
        SimulatedPeer peer = SimulatedPeer.open(name);
        try {
            PeerOffer offer = PeerOffer.viewer(peer);
            options.accept(offer);
            SessionAnswer session = service.subscribe(room, offer.sdp());
            PeerAnswer answer = peer.accept(session.answerSdp());
            SimulatedViewer viewer = new SimulatedViewer(service, peer, session, answer);
            peer.connect(timeout);
            return viewer;
        } catch (Exception e) {
            peer.close();
            throw e;
        }
    }

    public SimulatedPeer peer() {
        return peer;
    }

    public String sessionId() {
        return session.sessionId();
    }

    public PeerAnswer answer() {
        return answer;
    }

    /** The SSRC the server forwards video to this viewer with. */
    public long videoSsrc() {
        return answer.ssrc("video");
    }

    /** The SSRC the server forwards audio to this viewer with. */
    public long audioSsrc() {
        return answer.ssrc("audio");
    }

    /** Ends the session (WHEP DELETE) but keeps the peer open. */
    public void end() {
        if (!ended) {
            ended = true;
            service.end(session.sessionId());
        }
    }

    @Override
    public void close() {
        try {
            end();
        } finally {
            peer.close();
        }
    }
}
