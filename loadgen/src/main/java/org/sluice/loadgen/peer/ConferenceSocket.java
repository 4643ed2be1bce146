package org.sluice.loadgen.peer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One participant's conferencing WebSocket ({@code GET /ws}, docs/protocol.md): sends JSON text and
 * hands every server message, parsed, to the listener in arrival order (on the socket's listener
 * thread). Messages that do not parse are counted and dropped.
 */
public final class ConferenceSocket implements AutoCloseable {

    private final WebSocket socket;
    private final AtomicLong malformed = new AtomicLong();

    private ConferenceSocket(WebSocket socket) {
        this.socket = socket;
    }

    /** Connects to {@code origin}'s {@code /ws} (http → ws), with {@code token} as the access token when given. */
    public static ConferenceSocket connect(HttpClient client, URI origin, String token,
                                           Consumer<Map<String, Object>> listener) throws Exception {
        String base = origin.toString().replaceFirst("^http", "ws");
        URI uri = URI.create(base + "/ws" + (token == null ? "" : "?access_token=" + token));
        AtomicLong malformed = new AtomicLong();
        WebSocket socket = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new Reader(listener, malformed)).get(10, TimeUnit.SECONDS);
        return new ConferenceSocket(socket);
    }

    /** Sends one text message (a JSON object). */
    public void send(String json) {
        socket.sendText(json, true).join();
    }

    public long malformed() {
        return malformed.get();
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            socket.abort();
        }
    }

    private static final class Reader implements WebSocket.Listener {
        private final Consumer<Map<String, Object>> listener;
        private final AtomicLong malformed;
        private final StringBuilder partial = new StringBuilder();

        Reader(Consumer<Map<String, Object>> listener, AtomicLong malformed) {
            this.listener = listener;
            this.malformed = malformed;
        }

        @Override
        @SuppressWarnings("unchecked")
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    Object value = Json.parse(text);
                    if (value instanceof Map<?, ?> map) {
                        listener.accept((Map<String, Object>) map);
                    } else {
                        malformed.incrementAndGet();
                    }
                } catch (IllegalArgumentException e) {
                    malformed.incrementAndGet();
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
