package org.sluice.api.browser;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One WebSocket to Chromium's browser DevTools endpoint, over JDK {@link WebSocket}. Commands get
 * increasing ids; a reply completes the command's future. Flattened sessions: a command for a page
 * carries that page's {@code sessionId}. Events are ignored (the harness polls instead).
 */
final class DevToolsConnection implements AutoCloseable {

    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    private final Object sendLock = new Object();
    private volatile WebSocket socket;

    private DevToolsConnection() {
    }

    /** Connects to a {@code ws://127.0.0.1:PORT/devtools/browser/ID} endpoint. */
    static DevToolsConnection open(URI uri, Duration timeout) throws Exception {
        DevToolsConnection connection = new DevToolsConnection();
        // replies only arrive after we send, and we send only once the socket is set
        connection.socket = HttpClient.newBuilder().connectTimeout(timeout).build()
                .newWebSocketBuilder().connectTimeout(timeout)
                .buildAsync(uri, connection.new Listener())
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return connection;
    }

    /** Reassembles text frames into messages and hands them to the connection. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                onMessage(message);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            failAll(error);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            failAll(new IllegalStateException("DevTools socket closed: " + statusCode + " " + reason));
            return null;
        }
    }

    /** Sends a command (to the browser when {@code sessionId} is null) and waits for its result. */
    JsonObject send(String sessionId, String method, JsonObject params, Duration timeout) throws Exception {
        int id = nextId.getAndIncrement();
        JsonObject command = new JsonObject().put("id", id).put("method", method).put("params", params);
        if (sessionId != null) {
            command.put("sessionId", sessionId);
        }
        CompletableFuture<JsonObject> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            synchronized (sendLock) {
                socket.sendText(command.encode(), true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            JsonObject message = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (message.containsKey("error")) {
                throw new IllegalStateException(method + " failed: " + message.getJsonObject("error").encode());
            }
            return message.getJsonObject("result", new JsonObject());
        } catch (TimeoutException e) {
            throw new TimeoutException(method + " got no reply within " + timeout);
        } catch (ExecutionException e) {
            throw new IllegalStateException(method + " failed: " + e.getCause(), e.getCause());
        } finally {
            pending.remove(id);
        }
    }

    private void onMessage(String text) {
        JsonObject message = new JsonObject(text);
        Integer id = message.getInteger("id");
        if (id != null) {
            CompletableFuture<JsonObject> reply = pending.get(id);
            if (reply != null) {
                reply.complete(message);
            }
        }
    }

    private void failAll(Throwable error) {
        pending.values().forEach(f -> f.completeExceptionally(error));
    }

    @Override
    public void close() {
        socket.abort();
    }
}
