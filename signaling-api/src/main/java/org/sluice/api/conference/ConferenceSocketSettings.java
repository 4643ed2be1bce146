package org.sluice.api.conference;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.sluice.core.session.IceServer;

/**
 * How the conferencing endpoint behaves.
 *
 * @param iceServers       STUN/TURN servers sent in {@code joined}
 * @param reconnectGrace   the engine's reconnect grace, sent in {@code joined} as {@code reconnectGrace}
 * @param pingInterval     how often a ping frame is sent
 * @param idleTimeout      how long a silent socket (no pong, no message) stays open
 * @param maxMessageBytes  larger text messages get {@code too_large} (the connection stays)
 * @param clock            the time in {@code pong}
 * @param nanoTime         monotonic time for the idle check
 * @param metrics          meters
 */
public record ConferenceSocketSettings(List<IceServer> iceServers, Duration reconnectGrace, Duration pingInterval,
                                       Duration idleTimeout, int maxMessageBytes, Clock clock, LongSupplier nanoTime,
                                       SocketMetrics metrics) {

    /** The WebSocket subprotocol the server selects. */
    public static final String SUBPROTOCOL = "sluice.v1";
    /** The largest message Vert.x accepts; above it the socket is closed with 1009. */
    public static final int MAX_FRAME_BYTES = 1024 * 1024;
    /** The protocol's message limit. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024;
    public static final Duration PING_INTERVAL = Duration.ofSeconds(15);
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(45);

    public ConferenceSocketSettings {
        iceServers = List.copyOf(iceServers);
        Objects.requireNonNull(reconnectGrace, "reconnectGrace");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(nanoTime, "nanoTime");
        metrics = metrics == null ? SocketMetrics.NONE : metrics;
    }

    /** The protocol's defaults (15 s pings, 45 s idle timeout, 64 KiB messages), system clocks. */
    public static ConferenceSocketSettings defaults(List<IceServer> iceServers, Duration reconnectGrace,
            Clock clock, SocketMetrics metrics) {
        return new ConferenceSocketSettings(iceServers, reconnectGrace, PING_INTERVAL, IDLE_TIMEOUT,
                MAX_MESSAGE_BYTES, clock, System::nanoTime, metrics);
    }

    /** The same with other liveness timers (tests). */
    public ConferenceSocketSettings withLiveness(Duration ping, Duration idle) {
        return new ConferenceSocketSettings(iceServers, reconnectGrace, ping, idle, maxMessageBytes, clock,
                nanoTime, metrics);
    }
}
