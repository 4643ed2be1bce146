package org.sluice.api.conference;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sluice.api.browser.Chromium;
import org.sluice.api.conference.ClientPage.Join;
import org.sluice.api.media.InteropServer;
import org.sluice.api.media.PrometheusScrape;

/**
 * Addressed room messages between three Chromium participants through the JS client's {@code sendData}: A and B
 * open the messaging channels ({@code openMessaging}, DCEP protocol {@code sluice-data.v1}), C has no data channel
 * at all and sends and receives over its WebSocket. Shown: a message to the room reaches B on its channel and C on
 * its socket, with A as the sender and never back at A; a message naming one participant reaches only that one; a
 * topic reaches its followers and those that follow every topic; C's socket messages reach A's channel; text stays
 * text and binary arrives byte for byte (256 KiB over channels); the unreliable channel delivers as such; a message
 * naming nobody in the room is refused to C with {@code unknown_participant}; the server counts the socket route.
 */
class DataMessagingInteropTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @RegisterExtension
    static final InteropServer SERVER = new InteropServer();

    /** Records every {@code data} event as {from, topic, via, reliable, text} or {…, size, ok} in window.msgs. */
    private static void record(ClientPage page) throws Exception {
        page.call("""
                window.msgs = [];
                client.addEventListener('data', (e) => {
                  const d = e.detail;
                  const m = { from: d.from, topic: d.topic ?? null, via: d.via, reliable: d.reliable };
                  if (typeof d.data === 'string') { m.text = d.data; } else {
                    const b = new Uint8Array(d.data);
                    let ok = true;
                    for (let i = 0; i < b.length; i++) if (b[i] !== ((i * 13 + 5) & 0xff)) { ok = false; break; }
                    m.size = b.length; m.ok = ok;
                  }
                  window.msgs.push(m);
                });
                """);
    }

    private static JsonArray messages(ClientPage page) throws Exception {
        return new JsonArray(String.valueOf(page.run("return JSON.stringify(window.msgs)")));
    }

    private static JsonArray awaitMessages(ClientPage page, int count) throws Exception {
        return Polling.until(() -> messages(page), m -> m.size() >= count, DEADLINE);
    }

    private static JsonObject last(ClientPage page) throws Exception {
        JsonArray all = messages(page);
        return all.getJsonObject(all.size() - 1);
    }

    @Test
    void messagesReachTheRoomNamedParticipantsAndTopicsOverChannelsAndTheSocket() throws Exception {
        String room = "messaging-" + Long.toHexString(System.nanoTime());
        try (Chromium chromium = Chromium.launch()) {
            ClientPage a = ClientPage.join(chromium, SERVER.origin(), Join.watching(room, "A"));
            ClientPage b = ClientPage.join(chromium, SERVER.origin(), Join.watching(room, "B"));
            ClientPage c = ClientPage.join(chromium, SERVER.origin(), Join.watching(room, "C"));
            for (ClientPage page : new ClientPage[] {a, b, c}) {
                record(page);
            }
            a.call("await client.openMessaging()");
            b.call("await client.openMessaging()");
            PrometheusScrape before = PrometheusScrape.of(SERVER.origin());

            // To the room: B on its channel, C on its socket; never back to A.
            a.call("await client.sendData('hello room')");
            assertThat(awaitMessages(b, 1).getJsonObject(0)).isEqualTo(new JsonObject().put("from", a.id())
                    .putNull("topic").put("via", "datachannel").put("reliable", true).put("text", "hello room"));
            assertThat(awaitMessages(c, 1).getJsonObject(0)).isEqualTo(new JsonObject().put("from", a.id())
                    .putNull("topic").put("via", "websocket").put("reliable", true).put("text", "hello room"));

            // Named: only C gets it, binary intact over the socket.
            a.call("""
                    const bytes = new Uint8Array(1024);
                    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 13 + 5) & 0xff;
                    await client.sendData(bytes, { to: ['%s'] });
                    """.formatted(c.id()));
            JsonObject toC = awaitMessages(c, 2).getJsonObject(1);
            assertThat(toC.getInteger("size")).isEqualTo(1024);
            assertThat(toC.getBoolean("ok")).isTrue();
            assertThat(toC.getString("via")).isEqualTo("websocket");

            // 256 KiB binary to B over the channels, whole.
            a.call("""
                    const bytes = new Uint8Array(256 * 1024 - 64);
                    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 13 + 5) & 0xff;
                    await client.sendData(bytes, { to: ['%s'] });
                    """.formatted(b.id()));
            JsonObject big = awaitMessages(b, 2).getJsonObject(1);
            assertThat(big.getInteger("size")).isEqualTo(256 * 1024 - 64);
            assertThat(big.getBoolean("ok")).isTrue();
            assertThat(big.getString("via")).isEqualTo("datachannel");

            // Topics: B follows only "x"; C follows everything.
            b.call("await client.followTopics(['x'])");
            a.call("await client.sendData('about y', { topic: 'y' })");
            assertThat(awaitMessages(c, 3).getJsonObject(2).getString("text")).isEqualTo("about y");
            a.call("await client.sendData('about x', { topic: 'x' })");
            assertThat(awaitMessages(c, 4).getJsonObject(3).getString("topic")).isEqualTo("x");
            JsonArray atB = awaitMessages(b, 3);
            assertThat(atB.size()).as("B never got the y message").isEqualTo(3);
            assertThat(atB.getJsonObject(2).getString("text")).isEqualTo("about x");
            assertThat(atB.getJsonObject(2).getString("topic")).isEqualTo("x");

            // Unreliable: on B's lossy channel.
            a.call("await client.sendData('quick', { to: ['%s'], reliable: false })".formatted(b.id()));
            awaitMessages(b, 4);
            assertThat(last(b).getBoolean("reliable")).isFalse();
            assertThat(last(b).getString("text")).isEqualTo("quick");

            // C's socket to A's channel.
            c.call("await client.sendData('from the socket', { to: ['%s'] })".formatted(a.id()));
            awaitMessages(a, 1);
            assertThat(last(a)).isEqualTo(new JsonObject().put("from", c.id()).putNull("topic")
                    .put("via", "datachannel").put("reliable", true).put("text", "from the socket"));
            assertThat(c.run("await client.sendData('x', { to: ['PAnobody'] })"))
                    .asString().startsWith("error: unknown_participant");

            assertThat(messages(a).size()).as("A got nothing of its own").isEqualTo(1);
            assertThat(messages(b).size()).isEqualTo(4);
            assertThat(messages(c).size()).isEqualTo(4);
            PrometheusScrape after = PrometheusScrape.of(SERVER.origin());
            assertThat(after.sum("sluice_data_socket_messages_total", "direction=\"in\"")
                    - before.sum("sluice_data_socket_messages_total", "direction=\"in\"")).isEqualTo(2);
            assertThat(after.sum("sluice_data_socket_messages_total", "direction=\"out\"")
                    - before.sum("sluice_data_socket_messages_total", "direction=\"out\"")).isEqualTo(4);
            assertThat(after.sum("sluice_datachannel_dropped_total", "reason=\"unknown_recipient\"")).isEqualTo(1);
        }
    }
}
