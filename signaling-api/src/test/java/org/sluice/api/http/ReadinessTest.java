package org.sluice.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.sluice.api.auth.AccessControl;

class ReadinessTest {

    @Test
    void readyFollowsTheSupplier() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            AtomicBoolean ready = new AtomicBoolean(false);
            HttpServer server = vertx.createHttpServer()
                    .requestHandler(ApiRouter.create(vertx, new ScriptedSessionService(List.of()),
                            AccessControl.forSecret(Optional.empty(), Clock.systemUTC()), List.of(), ready::get))
                    .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.actualPort() + "/health/ready")).build();
            assertThat(client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(503);
            ready.set(true);
            assertThat(client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
