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
 * One WebSocket to a WebDriver BiDi endpoint ({@code ws://127.0.0.1:PORT/session}), over JDK
 * {@link WebSocket}. Commands {@code {id, method, params}} get increasing ids; a message of type
 * {@code success} or {@code error} with that id completes the command. Events are ignored (the
 * harness polls instead).
 */
final class BidiConnection implements AutoCloseable {

    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    private final Object sendLock = new Object();
    private volatile WebSocket socket;

    private BidiConnection() {
    }

    static BidiConnection open(URI uri, Duration timeout) throws Exception {
        BidiConnection connection = new BidiConnection();
        connection.socket = HttpClient.newBuilder().connectTimeout(timeout).build()
                .newWebSocketBuilder().connectTimeout(timeout)
                .buildAsync(uri, connection.new Listener())
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return connection;
    }

    /** Reassembles text frames into messages. */
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
            failAll(new IllegalStateException("BiDi socket closed: " + statusCode + " " + reason));
            return null;
        }
    }

    /** Sends a command and waits for its result; an {@code error} reply throws. */
    JsonObject send(String method, JsonObject params, Duration timeout) throws Exception {
        int id = nextId.getAndIncrement();
        JsonObject command = new JsonObject().put("id", id).put("method", method).put("params", params);
        CompletableFuture<JsonObject> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            synchronized (sendLock) {
                socket.sendText(command.encode(), true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            JsonObject message = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if ("error".equals(message.getString("type"))) {
                throw new IllegalStateException(method + " failed: " + message.getString("error") + ": "
                        + message.getString("message"));
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
