package org.sluice.api.conference;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A JDK WebSocket client that queues the server's JSON messages and remembers the close code. */
final class WsTestClient implements AutoCloseable {

    final BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    final WebSocket socket;
    private final StringBuilder partial = new StringBuilder();

    private WsTestClient(HttpClient client, URI uri, String... subprotocols) throws Exception {
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (subprotocols.length > 0) {
            String[] rest = new String[subprotocols.length - 1];
            System.arraycopy(subprotocols, 1, rest, 0, rest.length);
            builder.subprotocols(subprotocols[0], rest);
        }
        socket = builder.buildAsync(uri, new Listener()).get(5, TimeUnit.SECONDS);
    }

    static WsTestClient connect(int port, String query, String... subprotocols) throws Exception {
        return new WsTestClient(HttpClient.newHttpClient(),
                URI.create("ws://127.0.0.1:" + port + "/ws" + (query == null ? "" : "?" + query)), subprotocols);
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    void send(JsonObject message) {
        send(message.encode());
    }

    /** The next message from the server (fails after 5 s). */
    JsonObject next() throws InterruptedException {
        JsonObject message = messages.poll(5, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("no message within 5 s");
        }
        return message;
    }

    /** Sends {@code request} and returns the next message. */
    JsonObject request(JsonObject request) throws InterruptedException {
        send(request);
        return next();
    }

    int awaitClose() throws Exception {
        return closeCode.get(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(new JsonObject(partial.toString()));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.completeExceptionally(error);
        }
    }
}
