package org.sluice.core.conference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.core.ice.IceLiteAgent;
import org.sluice.core.conference.ConferenceException.Code;
import org.sluice.core.engine.EngineConfig;
import org.sluice.core.engine.SfuEngine;
import org.sluice.core.testing.AdjustableNanoClock;
import org.sluice.core.testing.ManualScheduler;
import org.sluice.core.testing.SimulatedParticipant;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sluice.core.conference.ConferenceTestSupport.CONNECT;
import static org.sluice.core.conference.ConferenceTestSupport.RECEIVE;
import static org.sluice.core.conference.ConferenceTestSupport.awaitConnected;
import static org.sluice.core.conference.ConferenceTestSupport.sendBurst;
import static org.sluice.core.conference.ConferenceTestSupport.settle;
import static org.sluice.core.testing.Waits.await;

/** Limits, grants, the reconnect grace, empty rooms, transport death and engine shutdown. */
class ConferenceLifecycleTest {

    private static final ConferenceSettings SETTINGS = new ConferenceSettings(3, 8, Duration.ofSeconds(20),
            Duration.ofSeconds(30), Duration.ofMillis(300));

    private final AdjustableNanoClock clock = new AdjustableNanoClock();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<SimulatedParticipant> opened = new ArrayList<>();
    private SfuEngine engine;

    private void start(ConferenceSettings settings) throws Exception {
        engine = SfuEngine.start(EngineConfig.loopback().withMediaLoops(2).withConference(settings),
                Clock.systemUTC(), clock, scheduler, null);
    }

    @AfterEach
    void stop() {
        opened.forEach(SimulatedParticipant::close);
        if (engine != null) {
            engine.close();
        }
    }

    private SimulatedParticipant join(String room, String name) throws Exception {
        SimulatedParticipant p = SimulatedParticipant.join(engine.conferences(), room, name);
        opened.add(p);
        return p;
    }

    private SimulatedParticipant join(JoinRequest request, boolean publishing) throws Exception {
        SimulatedParticipant p = SimulatedParticipant.join(engine.conferences(), request, publishing);
        opened.add(p);
        return p;
    }

    /** "a" (publishing) and "b" in room "room", both connected. */
    private record TwoConnected(SimulatedParticipant a, SimulatedParticipant b) {
    }

    /** Starts the engine with {@code settings} and connects "a", who publishes, and "b" in room "room". */
    private TwoConnected startWithTwoConnected(ConferenceSettings settings) throws Exception {
        start(settings);
        SimulatedParticipant a = join("room", "a");
        a.negotiate(CONNECT);
        SimulatedParticipant b = join("room", "b");
        settle(List.of(a, b));
        awaitConnected(engine, "room", 2);
        return new TwoConnected(a, b);
    }

    @Test
    void limitsAndGrantsAreEnforced() throws Exception {
        start(new ConferenceSettings(3, 1, Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofMillis(300)));
        ConferenceService service = engine.conferences();
        service.createRoom("small", new RoomOptions(1, null));
        assertThatThrownBy(() -> service.createRoom("small", RoomOptions.DEFAULTS))
                .extracting(e -> ((ConferenceException) e).code()).isEqualTo(Code.ROOM_EXISTS);
        join("small", "first");
        assertThatThrownBy(() -> service.join(new JoinRequest("small", "second", null, true, true, true), e -> { }))
                .extracting(e -> ((ConferenceException) e).code()).isEqualTo(Code.ROOM_FULL);
        assertThatThrownBy(() -> service.join(new JoinRequest("bad name!", "x", null, true, true, true), e -> { }))
                .extracting(e -> ((ConferenceException) e).code()).isEqualTo(Code.INVALID);
        assertThatThrownBy(() -> service.join(new JoinRequest("r", "x".repeat(129), null, true, true, true), e -> { }))
                .extracting(e -> ((ConferenceException) e).code()).isEqualTo(Code.INVALID);

        // One track allowed: audio and video at once are too many, and nothing changes.
        SimulatedParticipant two = join("room", "two");
        assertThatThrownBy(() -> two.negotiate(CONNECT))
                .extracting(e -> ((ConferenceException) e).code()).isEqualTo(Code.TOO_MANY_TRACKS);
        assertThat(two.participant().info().tracks()).isEmpty();
        two.sending(true, false);
        two.negotiate(CONNECT);
        assertThat(two.participant().info().tracks()).hasSize(1);

        SimulatedParticipant viewer = join(new JoinRequest("room", "viewer", null, false, false, false), true);
        viewer.sending(true, false);
        assertThatThrownBy(() -> viewer.negotiate(CONNECT))
                .extracting(e -> ((ConferenceException) e).code()).isEqualTo(Code.NOT_ALLOWED);
        assertThatThrownBy(() -> viewer.participant().subscribe(List.of(two.publishedTrack("0"))))
                .extracting(e -> ((ConferenceException) e).code()).isEqualTo(Code.NOT_ALLOWED);
        assertThatThrownBy(() -> two.participant().subscribe(List.of("no-such-track")))
                .extracting(e -> ((ConferenceException) e).code()).isEqualTo(Code.UNKNOWN_TRACK);
        assertThatThrownBy(() -> two.participant().subscribe(List.of(two.publishedTrack("0"))))
                .extracting(e -> ((ConferenceException) e).code()).isEqualTo(Code.INVALID);
        assertThatThrownBy(() -> viewer.participant().unpublish(two.publishedTrack("0")))
                .extracting(e -> ((ConferenceException) e).code()).isEqualTo(Code.UNKNOWN_TRACK);
        assertThatThrownBy(() -> two.participant().setMuted("no-such-track", true))
                .extracting(e -> ((ConferenceException) e).code()).isEqualTo(Code.UNKNOWN_TRACK);
        assertThatThrownBy(() -> two.participant().offer("not sdp", List.of()))
                .extracting(e -> ((ConferenceException) e).code()).isEqualTo(Code.BAD_OFFER);

        two.participant().leave();
        assertThatThrownBy(() -> two.participant().unpublish("x"))
                .extracting(e -> ((ConferenceException) e).code()).isEqualTo(Code.CLOSED);
    }

    @Test
    void aDetachedParticipantResumesWithinItsGraceAndIsRemovedAfterIt() throws Exception {
        TwoConnected pair = startWithTwoConnected(SETTINGS);
        SimulatedParticipant a = pair.a();
        SimulatedParticipant b = pair.b();

        a.participant().detach();
        assertThat(engine.conferences().participants("room")).anyMatch(s -> s.state().equals("detached"));
        scheduler.advance(Duration.ofSeconds(19));
        assertThatThrownBy(() -> engine.conferences().resume(a.id(), "wrong", e -> { }))
                .extracting(e -> ((ConferenceException) e).code()).isEqualTo(Code.RESUME_FAILED);
        List<ConferenceEvent> resumedEvents = new ArrayList<>();
        Participant resumed = engine.conferences().resume(a.id(), a.participant().resumeToken(), resumedEvents::add);
        assertThat(resumed.id()).isEqualTo(a.id());
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(resumed.isClosed()).isFalse();
        b.peer().drainRtp();
        sendBurst(a, 3);
        assertThat(b.peer().awaitRtp(p -> true, 6, RECEIVE)).as("media kept flowing").hasSize(6);

        resumed.detach();
        scheduler.advance(Duration.ofSeconds(21));
        assertThat(resumed.isClosed()).isTrue();
        assertThat(b.awaitEvent(ConferenceEvent.ParticipantLeft.class, e -> e.participantId().equals(a.id()),
                RECEIVE)).isNotNull();
        assertThatThrownBy(() -> engine.conferences().resume(a.id(), a.participant().resumeToken(), e -> { }))
                .extracting(e -> ((ConferenceException) e).code()).isEqualTo(Code.RESUME_FAILED);
        await("a's transport closed", CONNECT, () -> engine.openTransports() == 1);
    }

    @Test
    void anEmptyRoomClosesAfterItsTimeoutUnlessSomeoneJoins() throws Exception {
        start(SETTINGS);
        engine.conferences().createRoom("lobby", new RoomOptions(0, Duration.ofSeconds(5)));
        scheduler.advance(Duration.ofSeconds(4));
        SimulatedParticipant p = join("lobby", "p");
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(engine.conferences().room("lobby")).isPresent();
        p.participant().leave();
        scheduler.advance(Duration.ofSeconds(4));
        assertThat(engine.conferences().room("lobby")).isPresent();
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(engine.conferences().room("lobby")).isEmpty();
        assertThat(engine.conferences().rooms()).isEmpty();
    }

    @Test
    void aTransportWhoseConsentExpiresRemovesItsParticipant() throws Exception {
        TwoConnected pair = startWithTwoConnected(ConferenceSettings.DEFAULTS);
        SimulatedParticipant a = pair.a();
        SimulatedParticipant b = pair.b();

        // b keeps its consent fresh; a goes silent.
        clock.advance(Duration.ofSeconds(20));
        assertThat(b.peer().check(CONNECT)).isTrue();
        clock.advance(Duration.ofSeconds(11));
        assertThat(a.awaitEvent(ConferenceEvent.Removed.class, e -> true, CONNECT)).isNotNull();
        assertThat(b.awaitEvent(ConferenceEvent.ParticipantLeft.class, e -> e.participantId().equals(a.id()),
                CONNECT)).isNotNull();
    }

    @Test
    void adminRemovalAndEngineShutdownRemoveEveryone() throws Exception {
        TwoConnected pair = startWithTwoConnected(ConferenceSettings.DEFAULTS);
        SimulatedParticipant a = pair.a();
        SimulatedParticipant b = pair.b();

        assertThat(engine.conferences().removeParticipant("room", a.id())).isTrue();
        assertThat(a.awaitEvent(ConferenceEvent.Removed.class, e -> true, RECEIVE)).isNotNull();
        assertThat(b.awaitEvent(ConferenceEvent.ParticipantLeft.class, e -> true, RECEIVE)).isNotNull();
        assertThat(engine.conferences().removeParticipant("room", a.id())).isFalse();

        engine.drain();
        assertThatThrownBy(() -> engine.conferences().join(new JoinRequest("room", "c", null, true, true, true),
                e -> { })).extracting(e -> ((ConferenceException) e).code()).isEqualTo(Code.UNAVAILABLE);
        engine.close();
        assertThat(b.awaitEvent(ConferenceEvent.Removed.class, e -> true, RECEIVE)).isNotNull();
        assertThat(engine.participantCount()).isZero();
        assertThat(engine.openTransports()).isZero();
    }

    @Test
    void aRenegotiationWithNewIceCredentialsRestartsIceAndAChangedFingerprintIsRefused() throws Exception {
        start(ConferenceSettings.DEFAULTS);
        SimulatedParticipant a = join("room", "a");
        a.negotiate(CONNECT);
        String before = a.peer().serverUfrag();
        a.peer().iceRestartFragment(); // new local credentials go into the next offer
        a.negotiate(CONNECT);
        assertThat(a.peer().serverUfrag()).isNotEqualTo(before);
        assertThat(a.peer().check(CONNECT)).isTrue();

        String offer = a.offerSdp().replaceAll("a=fingerprint:sha-256 [0-9A-F:]+",
                "a=fingerprint:sha-256 " + "AB:".repeat(31) + "AB");
        assertThatThrownBy(() -> a.participant().offer(offer, List.of()))
                .extracting(e -> ((ConferenceException) e).code()).isEqualTo(Code.BAD_OFFER);
    }

    @Test
    void anUnanswerableOfferWithNewIceCredentialsFailsBeforeRestartingIce() throws Exception {
        start(ConferenceSettings.DEFAULTS);
        SimulatedParticipant a = join("room", "a");
        a.negotiate(CONNECT);
        IceLiteAgent serverIce = ((ParticipantSession) a.participant()).media().transport().ice();
        String serverUfrag = serverIce.localCredentials().ufrag();
        a.peer().iceRestartFragment(); // new local credentials go into the next offer
        String withoutRtcpMux = a.offerSdp().replace("a=rtcp-mux\r\n", "");
        assertThat(withoutRtcpMux).isNotEqualTo(a.offerSdp());

        assertThatThrownBy(() -> a.participant().offer(withoutRtcpMux, List.of()))
                .extracting(e -> ((ConferenceException) e).code()).isEqualTo(Code.BAD_OFFER);
        // ICE was not restarted: the server's credentials are still the ones the client has.
        assertThat(serverIce.localCredentials().ufrag()).isEqualTo(serverUfrag);
        a.negotiate(CONNECT);
        assertThat(serverIce.localCredentials().ufrag()).isNotEqualTo(serverUfrag);
        assertThat(a.peer().serverUfrag()).isEqualTo(serverIce.localCredentials().ufrag());
    }
}
