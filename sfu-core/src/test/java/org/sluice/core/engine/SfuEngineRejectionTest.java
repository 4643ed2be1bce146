package org.sluice.core.engine;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sluice.core.session.OfferRejectedException;
import org.sluice.core.session.OfferRejectedException.Reason;
import org.sluice.core.session.SessionAnswer;
import org.sluice.core.session.UnknownSessionException;
import org.sluice.core.testing.AdjustableNanoClock;
import org.sluice.core.testing.PeerOffer;
import org.sluice.core.testing.SimulatedPeer;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Offers and requests the engine refuses, each with the reason signaling maps to a status. */
class SfuEngineRejectionTest {

    private static SfuEngine engine;
    private static SimulatedPeer peer;

    @BeforeAll
    static void start() throws Exception {
        engine = SfuEngine.start(EngineConfig.loopback().withMediaLoops(2), Clock.systemUTC(), new AdjustableNanoClock());
        peer = SimulatedPeer.open("offers");
    }

    @AfterAll
    static void stop() {
        peer.close();
        engine.close();
    }

    @Test
    void malformedSdp() {
        assertRejected(() -> engine.publish("r1", "this is not SDP"), Reason.MALFORMED_SDP);
        assertRejected(() -> engine.subscribe("r1", "v=0\r\no=broken\r\n"), Reason.MALFORMED_SDP);
    }

    @Test
    void offerWithoutBundle() {
        assertRejected(() -> engine.publish("r2", PeerOffer.publisher(peer).withoutBundle().sdp()),
                Reason.UNSUPPORTED_OFFER);
        assertRejected(() -> engine.subscribe("r2", PeerOffer.viewer(peer).withoutBundle().sdp()),
                Reason.UNSUPPORTED_OFFER);
    }

    @Test
    void noCommonCodec() {
        assertRejected(() -> engine.publish("r3", PeerOffer.publisher(peer).codecs("FOO/8000", "BAR/90000").sdp()),
                Reason.NO_COMMON_CODEC);
        assertRejected(() -> engine.subscribe("r3", PeerOffer.viewer(peer).codecs("FOO/8000", "BAR/90000").sdp()),
                Reason.NO_COMMON_CODEC);
    }

    @Test
    void wrongDirection() {
        assertRejected(() -> engine.publish("r4", PeerOffer.viewer(peer).sdp()), Reason.UNSUPPORTED_OFFER);
        assertRejected(() -> engine.subscribe("r4", PeerOffer.publisher(peer).sdp()), Reason.UNSUPPORTED_OFFER);
    }

    @Test
    void secondPublisherInARoom() throws Exception {
        int sessions = engine.sessionCount();
        int transports = engine.openTransports();
        SessionAnswer first = engine.publish("r5", PeerOffer.publisher(peer).sdp());
        try {
            assertRejected(() -> engine.publish("r5", PeerOffer.publisher(peer).sdp()), Reason.CONFLICT);
            assertThat(engine.sessionCount()).isEqualTo(sessions + 1);
            assertThat(engine.openTransports()).isEqualTo(transports + 1);
        } finally {
            engine.end(first.sessionId());
        }
        SessionAnswer next = engine.publish("r5", PeerOffer.publisher(peer).sdp());
        assertThat(engine.end(next.sessionId())).isTrue();
    }

    @Test
    void trickleForAnUnknownSession() {
        assertThatThrownBy(() -> engine.trickle("no-such-session", "a=ice-ufrag:abcd\r\na=ice-pwd:"
                + "abcdefghijklmnopqrstuvwx\r\n")).isInstanceOf(UnknownSessionException.class);
        assertThat(engine.end("no-such-session")).isFalse();
        assertThat(engine.etag("no-such-session")).isNull();
    }

    @Test
    void malformedTrickleFragment() throws Exception {
        SessionAnswer session = engine.subscribe("r6", PeerOffer.viewer(peer).sdp());
        try {
            assertRejected(() -> engine.trickle(session.sessionId(), "v=0\r\nthis is no fragment\r\n"),
                    Reason.MALFORMED_SDP);
            assertRejected(() -> engine.trickle(session.sessionId(), "a=ice-ufrag:newufrag\r\n"),
                    Reason.MALFORMED_SDP);
        } finally {
            engine.end(session.sessionId());
        }
    }

    private interface Call {
        Object run() throws Exception;
    }

    private static void assertRejected(Call call, Reason reason) {
        int sessions = engine.sessionCount();
        int transports = engine.openTransports();
        assertThatThrownBy(call::run).isInstanceOfSatisfying(OfferRejectedException.class,
                e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
        assertThat(engine.sessionCount()).as("sessions after a rejection").isEqualTo(sessions);
        assertThat(engine.openTransports()).as("transports after a rejection").isEqualTo(transports);
    }
}
