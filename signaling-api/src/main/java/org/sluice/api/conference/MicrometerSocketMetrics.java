package org.sluice.api.conference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link SocketMetrics} as Micrometer meters: gauge {@code sluice.ws.connections}, counters
 * {@code sluice.ws.messages.received}, {@code sluice.ws.messages.sent} and {@code sluice.ws.errors{code}}.
 */
public final class MicrometerSocketMetrics implements SocketMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger connections = new AtomicInteger();
    private final Counter received;
    private final Counter sent;

    public MicrometerSocketMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("sluice.ws.connections", connections, AtomicInteger::get)
                .description("conferencing WebSockets open now").register(registry);
        received = Counter.builder("sluice.ws.messages.received").description("WebSocket text messages received")
                .register(registry);
        sent = Counter.builder("sluice.ws.messages.sent").description("WebSocket text messages sent")
                .register(registry);
    }

    @Override
    public void connectionOpened() {
        connections.incrementAndGet();
    }

    @Override
    public void connectionClosed() {
        connections.decrementAndGet();
    }

    @Override
    public void messageReceived() {
        received.increment();
    }

    @Override
    public void messageSent() {
        sent.increment();
    }

    @Override
    public void error(String code) {
        Counter.builder("sluice.ws.errors").description("error messages sent, by code").tag("code", code)
                .register(registry).increment();
    }
}
