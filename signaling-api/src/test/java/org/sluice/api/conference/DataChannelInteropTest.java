package org.sluice.api.conference;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sluice.api.browser.Chromium;
import org.sluice.api.conference.ClientPage.Join;
import org.sluice.api.media.InteropServer;

/**
 * Data channels through the SFU with three Chromium participants: each opens a channel labelled {@code chat}
 * (SCTP over the participant's DTLS, DCEP open and ack); messages one sends reach the two others whole and intact
 * at 1 B, 1 KiB, 64 KiB and the 256 KiB maximum; text stays text; many small messages arrive complete and in
 * order; closing one channel resets only its stream (the other channel keeps working).
 */
class DataChannelInteropTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @RegisterExtension
    static final InteropServer SERVER = new InteropServer();

    /** Installs {@code window.dc[label]} and a receive log {@code window.got[label]} of {size, sum, text, seq}. */
    private static void openChannel(ClientPage page, String label) throws Exception {
        page.call("""
                window.dc = window.dc || {}; window.got = window.got || {};
                const ch = await client.openDataChannel('%1$s');
                ch.binaryType = 'arraybuffer';
                window.got['%1$s'] = [];
                ch.onmessage = (e) => {
                  if (typeof e.data === 'string') {
                    window.got['%1$s'].push({ text: e.data });
                    return;
                  }
                  const b = new Uint8Array(e.data);
                  let ok = true;
                  for (let i = 0; i < b.length; i++) { if (b[i] !== ((i * 7 + b.length) & 0xff)) { ok = false; break; } }
                  window.got['%1$s'].push({ size: b.length, ok });
                };
                window.dc['%1$s'] = ch;
                """.formatted(label));
    }

    private static void sendPattern(ClientPage page, String label, int size) throws Exception {
        page.call("""
                const b = new Uint8Array(%2$d);
                for (let i = 0; i < b.length; i++) b[i] = (i * 7 + b.length) & 0xff;
                window.dc['%1$s'].send(b);
                """.formatted(label, size));
    }

    private static int received(ClientPage page, String label) throws Exception {
        Object n = page.run("return (window.got && window.got['" + label + "']) ? window.got['" + label + "'].length : 0");
        return ((Number) n).intValue();
    }

    @Test
    void messagesReachTheOtherTwoWholeAndClosingResetsOnlyItsStream() throws Exception {
        String room = "data-" + Long.toHexString(System.nanoTime());
        try (Chromium chromium = Chromium.launch()) {
            Map<String, ClientPage> pages = new LinkedHashMap<>();
            for (String name : List.of("A", "B", "C")) {
                pages.put(name, ClientPage.join(chromium, SERVER.origin(), Join.publishing(room, name)));
            }
            for (ClientPage page : pages.values()) {
                openChannel(page, "chat");
                openChannel(page, "side");
            }
            ClientPage a = pages.get("A");
            List<Integer> sizes = List.of(1, 1024, 64 * 1024, 256 * 1024);
            for (int size : sizes) {
                sendPattern(a, "chat", size);
            }
            a.call("window.dc['chat'].send('hello from A')");
            for (String name : List.of("B", "C")) {
                ClientPage page = pages.get(name);
                int count = Polling.until(() -> received(page, "chat"), n -> n >= 5, DEADLINE);
                assertThat(count).as("%s got A's five messages", name).isEqualTo(5);
                String log = String.valueOf(page.run("return JSON.stringify(window.got['chat'])"));
                System.out.println(name + " received " + log);
                for (int i = 0; i < sizes.size(); i++) {
                    JsonObject m = new JsonObject(String.valueOf(page.run("return JSON.stringify(window.got['chat'][" + i + "])")));
                    assertThat(m.getInteger("size")).as("%s message %d size", name, i).isEqualTo(sizes.get(i));
                    assertThat(m.getBoolean("ok")).as("%s message %d intact", name, i).isTrue();
                }
                assertThat(page.run("return window.got['chat'][4].text")).isEqualTo("hello from A");
            }
            assertThat(received(a, "chat")).as("the sender does not get its own messages").isZero();

            // 2,000 small messages from B arrive at A and C complete and in order.
            int many = 2000;
            pages.get("B").call("""
                    for (let i = 0; i < %d; i++) window.dc['chat'].send('n' + i);
                    """.formatted(many));
            for (String name : List.of("A", "C")) {
                ClientPage page = pages.get(name);
                int base = name.equals("C") ? 5 : 0;
                Polling.until(() -> received(page, "chat"), n -> n >= base + many, DEADLINE);
                Object inOrder = page.run("""
                        const g = window.got['chat'].slice(%d).map(m => m.text);
                        if (g.length !== %d) return 'count ' + g.length;
                        for (let i = 0; i < g.length; i++) if (g[i] !== 'n' + i) return 'at ' + i + ': ' + g[i];
                        return 'ok';
                        """.formatted(base, many));
                assertThat(inOrder).as("%s got B's messages complete and in order", name).isEqualTo("ok");
            }

            // A closes 'side': only that stream is reset; 'chat' goes on, and B's own 'side' stays open.
            a.call("window.dc['side'].close()");
            Object state = Polling.until(() -> a.run("return window.dc['side'].readyState"), "closed"::equals,
                    Duration.ofSeconds(20));
            assertThat(state).isEqualTo("closed");
            a.call("window.dc['chat'].send('after close')");
            ClientPage b = pages.get("B");
            Polling.until(() -> received(b, "chat"), n -> n >= 6, DEADLINE);
            assertThat(b.run("return window.got['chat'][5].text")).isEqualTo("after close");
            assertThat(b.run("return window.dc['side'].readyState")).isEqualTo("open");
            assertThat(a.run("return window.dc['chat'].readyState")).isEqualTo("open");
            pages.get("C").call("window.dc['side'].send('to side')");
            Polling.until(() -> received(b, "side"), n -> n >= 1, DEADLINE);
            assertThat(b.run("return window.got['side'][0].text")).isEqualTo("to side");
            assertThat(received(a, "side")).as("A's closed channel receives nothing").isZero();
        }
    }
}
