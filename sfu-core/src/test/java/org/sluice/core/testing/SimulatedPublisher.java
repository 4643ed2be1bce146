package org.sluice.core.testing;

import org.sluice.core.session.OfferRejectedException;
import org.sluice.core.session.SessionAnswer;
import org.sluice.core.session.SessionService;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A WHIP publisher over a {@link SimulatedPeer}: offers Opus and VP8, connects, and sends through one
 * {@link RtpTrack} per kind. {@link #close()} ends the session (like DELETE) and closes the peer.
 */
public final class SimulatedPublisher implements AutoCloseable {

    /** Opus: 20 ms at 48 kHz. */
    public static final int AUDIO_STEP = 960;
    /** Video at 30 fps on a 90 kHz clock. */
    public static final int VIDEO_STEP = 3000;

    private final SessionService service;
    private final SimulatedPeer peer;
    private final PeerOffer offer;
    private final SessionAnswer session;
    private final RtpTrack audio;
    private final RtpTrack video;
    private boolean ended;

    private SimulatedPublisher(SessionService service, SimulatedPeer peer, PeerOffer offer, SessionAnswer session) {
        this.service = service;
        this.peer = peer;
        this.offer = offer;
        this.session = session;
        this.audio = new RtpTrack(peer, 111, offer.audioSsrc());
        this.video = new RtpTrack(peer, 96, offer.videoSsrc());
    }

    /** Publishes into {@code room} and connects within {@code timeout}. */
    public static SimulatedPublisher start(SessionService service, String room, String name, Duration timeout)
            throws IOException, OfferRejectedException, TimeoutException, InterruptedException {
        return start(service, room, name, timeout, offer -> { });
    }

    /** As {@link #start(SessionService, String, String, Duration)}, with the offer changed by {@code options}. */
    public static SimulatedPublisher start(SessionService service, String room, String name, Duration timeout,
                                           java.util.function.Consumer<PeerOffer> options)
            throws IOException, OfferRejectedException, TimeoutException, InterruptedException {
        SimulatedPeer peer = SimulatedPeer.open(name);
        try {
            PeerOffer offer = PeerOffer.publisher(peer);
            options.accept(offer);
            SessionAnswer answer = service.publish(room, offer.sdp());
            peer.accept(answer.answerSdp());
            SimulatedPublisher publisher = new SimulatedPublisher(service, peer, offer, answer);
            peer.connect(timeout);
            return publisher;
        } catch (Exception e) {
            peer.close();
            throw e;
        }
    }

    public SimulatedPeer peer() {
        return peer;
    }

    /** The server's answer SDP. */
    public String answerSdp() {
        return session.answerSdp();
    }

    public String sessionId() {
        return session.sessionId();
    }

    public RtpTrack audio() {
        return audio;
    }

    public RtpTrack video() {
        return video;
    }

    /** The offer this publisher made. */
    public PeerOffer offer() {
        return offer;
    }

    /** Sends a one-packet VP8 key frame whose filler is {@code marker}. */
    public RtpTrack.Sent sendKeyFrame(byte marker) {
        return video.send(Payloads.vp8KeyFrame(100, marker), true, VIDEO_STEP);
    }

    /** Sends a one-packet VP8 inter frame whose filler is {@code marker}. */
    public RtpTrack.Sent sendDeltaFrame(byte marker) {
        return video.send(Payloads.vp8DeltaFrame(100, marker), true, VIDEO_STEP);
    }

    /** Sends one 20 ms Opus packet whose filler is {@code marker}. */
    public RtpTrack.Sent sendAudio(byte marker) {
        return audio.send(Payloads.opus(40, marker), false, AUDIO_STEP);
    }

    /** Ends the session (WHIP DELETE) but keeps the peer open. */
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
