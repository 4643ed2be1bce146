package org.sluice.api.conference;

import org.sluice.api.media.InteropServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sluice.api.auth.Grant;
import org.sluice.api.auth.TokenIssuer;
import org.sluice.api.browser.BrowserPage;
import org.sluice.api.browser.Chromium;
import org.sluice.api.media.LoopbackMediaServer;
import org.sluice.core.engine.EngineConfig;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's token in a real browser: Chromium sends it as the {@code bearer.<jwt>} WebSocket subprotocol next to
 * {@code sluice.v1} and accepts the server's choice; a valid token joins, a wrongly signed one is refused with the
 * server's reason ({@code unauthorized}, close 4401), and a token for another room gets {@code not_allowed}.
 */
class ConferenceAuthInteropTest {

    private static final String SECRET = "conference-interop-secret-0123456789";

    @RegisterExtension
    static final InteropServer SERVER = new InteropServer(
            () -> LoopbackMediaServer.start(EngineConfig.loopback().withMediaLoops(2), Optional.of(SECRET)));

    private final TokenIssuer tokens = new TokenIssuer(SECRET, Clock.systemUTC());

    @Test
    void tokensTravelAsSubprotocolAndRefusalsCarryTheirReason() throws Exception {
        try (Chromium chromium = Chromium.launch()) {
            BrowserPage page = chromium.openPage();
            page.navigate(SERVER.origin() + "/", Duration.ofSeconds(15));

            String valid = tokens.issue(new Grant("auth-room", true, true, false), Duration.ofMinutes(5));
            Object joined = connect(page, "auth-room", valid);
            System.out.println("valid token: " + joined);
            assertThat(String.valueOf(joined)).startsWith("joined ");

            String forged = new TokenIssuer("another-secret-another-secret-0000", Clock.systemUTC())
                    .issue(new Grant("auth-room", true, true, false), Duration.ofMinutes(5));
            Object refused = connect(page, "auth-room", forged);
            System.out.println("forged token: " + refused);
            assertThat(String.valueOf(refused)).startsWith("unauthorized");

            String otherRoom = tokens.issue(new Grant("elsewhere", true, true, false), Duration.ofMinutes(5));
            Object notAllowed = connect(page, "auth-room", otherRoom);
            System.out.println("token for another room: " + notAllowed);
            assertThat(String.valueOf(notAllowed)).startsWith("not_allowed");
        }
    }

    /** Connects with the client module; "joined <id>" or "<error code> <message>". */
    private static Object connect(BrowserPage page, String room, String token) throws Exception {
        return page.evaluate("""
                (async () => {
                  const { SluiceClient } = await import('/js/sluice-client.js');
                  try {
                    const client = await SluiceClient.connect({ room: '%s', name: 'T', token: '%s' });
                    const id = client.self.id;
                    await client.leave();
                    return 'joined ' + id;
                  } catch (e) {
                    return (e.code || 'exception') + ' ' + e.message;
                  }
                })()""".formatted(room, token));
    }
}
