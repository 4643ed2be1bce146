package org.sluice.api.conference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sluice.api.browser.BrowserPage;
import org.sluice.api.browser.Chromium;
import org.sluice.api.media.InteropServer;

/**
 * The demo page's chat panel between three pages: each opens the room's {@code chat} data channel after joining;
 * what one types appears in the two others' chat logs (and its own), and a screenshot
 * ({@code target/screenshots/chat.png}) is kept.
 */
class DemoChatInteropTest {

    private static final Path SCREENSHOT = Path.of("target", "screenshots", "chat.png");
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @RegisterExtension
    static final InteropServer SERVER = new InteropServer();

    private static String log(BrowserPage page) throws Exception {
        return String.valueOf(page.evaluate("document.getElementById('chat-log').innerText"));
    }

    private static void type(BrowserPage page, String text) throws Exception {
        page.evaluate("""
                (() => { document.getElementById('chat-input').value = %s;
                         document.getElementById('chat-send').click(); return true; })()
                """.formatted(io.vertx.core.json.Json.encode(text)));
    }

    @Test
    void chatMessagesReachTheOtherDemoPages() throws Exception {
        String room = "chat-" + Long.toHexString(System.nanoTime());
        try (Chromium chromium = Chromium.launch()) {
            Map<String, BrowserPage> pages = new LinkedHashMap<>();
            for (String name : List.of("A", "B", "C")) {
                pages.put(name, ClientPage.openDemo(chromium, SERVER.origin(), room, name));
            }
            for (Map.Entry<String, BrowserPage> page : pages.entrySet()) {
                Object state = Polling.until(() -> page.getValue().evaluate(
                        "(window.sluiceDemo && window.sluiceDemo.chat) ? window.sluiceDemo.chat.readyState : 'none'"),
                        "open"::equals, DEADLINE);
                assertThat(state).as("%s's chat channel; status %s", page.getKey(),
                        page.getValue().evaluate("(() => { const pc = window.sluiceDemo.client.pc; return document.getElementById('status').textContent + ' sctp=' + (pc.sctp ? pc.sctp.state : null) + ' local=' + pc.localDescription.sdp.includes('m=application') + ' remote=' + (pc.remoteDescription && pc.remoteDescription.sdp.includes('m=application 9')) + ' signaling=' + pc.signalingState; })()")).isEqualTo("open");
                assertThat(page.getValue().evaluate("document.getElementById('chat').hidden")).isEqualTo(false);
            }
            type(pages.get("A"), "hello from A");
            type(pages.get("C"), "C here <b>not bold</b>");
            for (Map.Entry<String, BrowserPage> page : pages.entrySet()) {
                String text = Polling.until(() -> log(page.getValue()),
                        l -> l.contains("A: hello from A") && l.contains("C: C here <b>not bold</b>"), DEADLINE);
                System.out.println(page.getKey() + " chat log: " + text.replace('\n', '|'));
                assertThat(text).as("%s's chat log", page.getKey())
                        .contains("A: hello from A").contains("C: C here <b>not bold</b>");
            }
            long bytes = pages.get("B").screenshot(SCREENSHOT);
            System.out.println("screenshot: " + SCREENSHOT.toAbsolutePath() + " (" + bytes + " bytes)");
            assertThat(ImageIO.read(SCREENSHOT.toFile())).as("a PNG").isNotNull();
        }
    }
}
