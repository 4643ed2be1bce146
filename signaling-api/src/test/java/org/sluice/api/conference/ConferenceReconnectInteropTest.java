package org.sluice.api.conference;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sluice.api.browser.Chromium;
import org.sluice.api.browser.InteropPreconditions;
import org.sluice.api.conference.ClientPage.Join;
import org.sluice.api.media.LoopbackMediaServer;
import org.sluice.core.conference.ConferenceSettings;
import org.sluice.core.conference.ParticipantStats;
import org.sluice.core.engine.EngineConfig;

/**
 * A participant's WebSocket is closed under it while media flows: media keeps flowing both ways during the
 * outage, the client resumes ({@code reconnected}, {@code joined} with {@code resumed: true}, same participant) and
 * control messages (a name change, mute and unmute) work afterwards. Without a resume within the grace period the others are told
 * {@code participantleft}.
 */
class ConferenceReconnectInteropTest {

    private static final Duration EVENT = Duration.ofSeconds(10);
    /** How long the test holds the client's resume back, so the outage can be measured. */
    private static final int OUTAGE_MILLIS = 4000;

    @BeforeAll
    static void preconditions() throws Exception {
        InteropPreconditions.requireChromiumAndIsolatedNetwork();
    }

    private static LoopbackMediaServer serverWithGrace(Duration grace) throws Exception {
        ConferenceSettings d = ConferenceSettings.DEFAULTS;
        return LoopbackMediaServer.start(EngineConfig.loopback().withMediaLoops(2).withConference(
                new ConferenceSettings(d.maxParticipants(), d.maxTracksPerParticipant(), grace, d.emptyRoomTimeout(),
                        d.speakerInterval())));
    }

    @Test
    void mediaFlowsThroughASignalingOutageAndTheClientResumes() throws Exception {
        String room = "resume-" + Long.toHexString(System.nanoTime());
        try (LoopbackMediaServer server = serverWithGrace(Duration.ofSeconds(20));
             Chromium chromium = Chromium.launch()) {
            ClientPage a = ClientPage.join(chromium, server.origin(), Join.publishing(room, "A"));
            ClientPage b = ClientPage.join(chromium, server.origin(), Join.publishing(room, "B"));
            TrackFlow.assertFlowing(b, a.camera(), true, "before the outage");
            TrackFlow.assertFlowing(a, b.camera(), true, "before the outage");

            // Close A's socket; hold its resume back for OUTAGE_MILLIS.
            a.call("""
                    const open = client._open.bind(client);
                    client._open = async (resume) => {
                      if (resume) await new Promise((r) => setTimeout(r, %d));
                      if (resume) window.conf.resumeStartedAt = Date.now();
                      return open(resume);
                    };
                    window.conf.droppedAt = Date.now();
                    client._ws.close(3001, 'test drops the socket');""".formatted(OUTAGE_MILLIS));
            JsonObject reconnecting = a.awaitEvent("reconnecting", null, EVENT);
            assertThat(Polling.until(() -> state(server, room, a.id()), "detached"::equals, EVENT))
                    .as("the server keeps A, detached").isEqualTo("detached");

            // During the outage media keeps flowing both ways.
            ClientPage.Received aAtB = b.received(a.camera());
            ClientPage.Received bAtA = a.received(b.camera());
            ClientPage.Received aAudioAtB = b.received(a.microphone());
            Thread.sleep(TrackFlow.WINDOW.toMillis());
            ClientPage.Received aAtB2 = b.received(a.camera());
            ClientPage.Received bAtA2 = a.received(b.camera());
            ClientPage.Received aAudioAtB2 = b.received(a.microphone());
            assertThat(a.run("return client.state")).as("still in the outage while sampling").isEqualTo("reconnecting");
            System.out.println("outage: A's video at B packets " + aAtB.packets() + "→" + aAtB2.packets() + " frames "
                    + aAtB.frames() + "→" + aAtB2.frames() + "; B's video at A packets " + bAtA.packets() + "→"
                    + bAtA2.packets() + " frames " + bAtA.frames() + "→" + bAtA2.frames() + "; A's audio at B "
                    + aAudioAtB.packets() + "→" + aAudioAtB2.packets());
            assertThat(aAtB2.packets()).as("A's video reaches B during the outage").isGreaterThan(aAtB.packets());
            assertThat(aAtB2.frames()).as("and decodes").isGreaterThan(aAtB.frames());
            assertThat(bAtA2.packets()).as("B's video reaches A during the outage").isGreaterThan(bAtA.packets());
            assertThat(bAtA2.frames()).as("and decodes").isGreaterThan(bAtA.frames());
            assertThat(aAudioAtB2.packets()).isGreaterThan(aAudioAtB.packets());

            // The client resumes: same participant, joined with resumed:true.
            JsonObject reconnected = a.awaitEvent("reconnected", null, Duration.ofSeconds(20));
            long droppedAt = ((Number) a.run("return window.conf.droppedAt")).longValue();
            long resumeStartedAt = ((Number) a.run("return window.conf.resumeStartedAt")).longValue();
            System.out.println("reconnecting " + (reconnecting.getLong("at") - droppedAt) + " ms, reconnected "
                    + (reconnected.getLong("at") - droppedAt) + " ms after the drop (resume held "
                    + OUTAGE_MILLIS + " ms); the resume itself (new socket, join, joined) took "
                    + (reconnected.getLong("at") - resumeStartedAt) + " ms");
            JsonArray joins = (JsonArray) a.run("return window.conf.joins");
            assertThat(joins.size()).isGreaterThanOrEqualTo(1);
            assertThat(joins.getJsonObject(joins.size() - 1).getBoolean("resumed")).isTrue();
            assertThat(a.run("return client.self.id")).isEqualTo(a.id());
            assertThat(a.run("return client.state")).isEqualTo("joined");
            assertThat(Polling.until(() -> state(server, room, a.id()), "connected"::equals, EVENT)).isEqualTo("connected");
            assertThat(b.events("participantleft", null)).as("B never saw A leave").isEmpty();
            assertThat(server.engine().participantCount()).isEqualTo(2);
            System.out.println("A receives B after resuming: "
                    + TrackFlow.assertFlowing(a, b.camera(), true, "after the resume"));

            // The new socket carries a name change to B.
            a.call("await client.update({ name: 'A2' })");
            String nameAtB = "return client.participants.get('" + a.id() + "')?.name";
            assertThat(Polling.until(() -> b.run(nameAtB), "A2"::equals, EVENT)).as("B sees A's new name").isEqualTo("A2");

            // Control messages work after the resume, both ways.
            a.call("await client.setMuted('" + a.camera() + "', true)");
            assertThat(b.awaitEvent("trackmuted", a.camera(), EVENT).getBoolean("muted")).isTrue();
            TrackFlow.assertStopped(b, a.camera(), "muted after the resume");
            a.call("await client.setMuted('" + a.camera() + "', false)");
            assertThat(b.awaitEvent("trackmuted", a.camera(), 1, EVENT).getBoolean("muted")).isFalse();
            System.out.println("unmuted after the resume: " + TrackFlow.assertFlowing(b, a.camera(), true, "unmuted"));
            b.call("await client.setMuted('" + b.microphone() + "', true)");
            assertThat(a.awaitEvent("trackmuted", b.microphone(), EVENT).getBoolean("muted"))
                    .as("A's new socket gets B's events").isTrue();
            assertThat(a.run("const r = await client._request('ping', {}); return r.type")).isEqualTo("pong");
            assertThat(a.events("removed", null)).isEmpty();
            assertThat(a.events("error", null)).isEmpty();
        }
    }

    @Test
    void withoutAResumeWithinTheGraceTheOthersSeeTheParticipantLeave() throws Exception {
        String room = "grace-" + Long.toHexString(System.nanoTime());
        Duration grace = Duration.ofSeconds(2);
        try (LoopbackMediaServer server = serverWithGrace(grace);
             Chromium chromium = Chromium.launch()) {
            ClientPage a = ClientPage.join(chromium, server.origin(), Join.publishing(room, "A"));
            ClientPage b = ClientPage.join(chromium, server.origin(), Join.watching(room, "B"));
            assertThat(a.run("return client._reconnectGrace")).isEqualTo(2000);
            TrackFlow.assertFlowing(b, a.camera(), true, "before the drop");

            // A's socket drops and every resume attempt fails before reaching the server.
            a.call("""
                    client._open = () => Promise.reject(new Error('offline (test)'));
                    window.conf.droppedAt = Date.now();
                    client._ws.close(3001, 'test drops the socket');""");
            JsonObject left = b.awaitEvent("participantleft", null, Duration.ofSeconds(15));
            long droppedAt = ((Number) a.run("return window.conf.droppedAt")).longValue();
            long after = left.getLong("at") - droppedAt;
            System.out.println("B got participantleft " + after + " ms after A's socket dropped (grace "
                    + grace.toMillis() + " ms), reason " + left.getString("reason"));
            assertThat(left.getString("participantId")).isEqualTo(a.id());
            assertThat(after).as("not before the grace ran out").isGreaterThanOrEqualTo(grace.toMillis() - 250);
            assertThat(after).as("soon after it ran out").isLessThan(grace.toMillis() + 5000);
            assertThat(b.run("return client.participants.has('" + a.id() + "')")).isEqualTo(false);

            TrackFlow.assertStopped(b, a.camera(), "A removed");
            assertThat(Polling.until(() -> server.engine().participantCount(), n -> n == 1, EVENT)).isEqualTo(1);
            assertThat(Polling.until(() -> server.engine().openTransports(), n -> n == 1, EVENT))
                    .as("only B's transport stays open").isEqualTo(1);
            JsonObject removed = a.awaitEvent("removed", null, EVENT);
            System.out.println("A's client: removed " + removed.getString("reason"));
        }
    }

    /** The server's state of a participant ({@code connected}, {@code detached}, ...), or {@code gone}. */
    private static String state(LoopbackMediaServer server, String room, String id) throws Exception {
        for (ParticipantStats p : server.engine().conferences().participants(room)) {
            if (p.info().id().equals(id)) {
                return p.state();
            }
        }
        return "gone";
    }
}
