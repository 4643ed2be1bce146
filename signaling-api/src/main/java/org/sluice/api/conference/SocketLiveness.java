package org.sluice.api.conference;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Keeps a WebSocket honest: sends a ping frame every ping interval and closes the socket (1001) when nothing
 * (no message, no pong) has arrived for the idle timeout. Runs on the socket's context; {@link #stop} cancels it.
 */
final class SocketLiveness {

    private final Vertx vertx;
    private final ServerWebSocket socket;
    private final long pingIntervalMillis;
    private final long idleTimeoutNanos;
    private final LongSupplier nanoTime;
    private long lastHeard;
    private long timerId = -1;

    SocketLiveness(Vertx vertx, ServerWebSocket socket, Duration pingInterval, Duration idleTimeout,
            LongSupplier nanoTime) {
        this.vertx = vertx;
        this.socket = socket;
        this.pingIntervalMillis = Math.max(1, pingInterval.toMillis());
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.nanoTime = nanoTime;
    }

    void start() {
        lastHeard = nanoTime.getAsLong();
        socket.pongHandler(pong -> heard());
        timerId = vertx.setPeriodic(pingIntervalMillis, id -> tick());
    }

    /** Something arrived from the client. */
    void heard() {
        lastHeard = nanoTime.getAsLong();
    }

    void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
            timerId = -1;
        }
    }

    private void tick() {
        if (socket.isClosed()) {
            stop();
            return;
        }
        if (nanoTime.getAsLong() - lastHeard >= idleTimeoutNanos) {
            stop();
            socket.close((short) 1001, "idle");
            return;
        }
        socket.writePing(Buffer.buffer("sluice"));
    }
}
