package org.sluice.api.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.api.admin.AdminTestServer.errorCode;
import static org.sluice.api.admin.AdminTestServer.errorMessage;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Without {@code auth.secret} (loopback only) the admin API is open and token minting is refused. */
class AdminNoSecretHttpTest {

    @RegisterExtension
    static final AdminTestServer http = AdminTestServer.withoutSecret(Clock.systemUTC());

    @BeforeAll
    static void seed() {
        http.conferences.put("lobby", List.of(ParticipantFixtures.alice()));
    }

    @Test
    void adminRoutesNeedNoToken() throws Exception {
        assertThat(http.get("/api/rooms", null).statusCode()).isEqualTo(200);
        assertThat(http.get("/api/rooms/lobby/participants", "whatever").statusCode()).isEqualTo(200);
        assertThat(http.postJson("/api/rooms", null, "{\"name\":\"fresh\"}").statusCode()).isEqualTo(201);
        assertThat(http.delete("/api/rooms/fresh", null).statusCode()).isEqualTo(204);
    }

    @Test
    void tokenMintingIs409NoSecret() throws Exception {
        HttpResponse<String> response = http.postJson("/api/tokens", null, "{\"room\":\"lobby\",\"publish\":true}");
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(errorCode(response)).isEqualTo("no_secret");
        assertThat(errorMessage(response)).contains("tokens are not needed without auth.secret");
    }
}
