package org.sluice.core.dtls;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** Captures what an endpoint reports, as futures a test can wait on with a bound. */
class RecordingListener implements DtlsEndpoint.DtlsListener {
    final CompletableFuture<DtlsEndpoint.SrtpKeyMaterial> connected = new CompletableFuture<>();
    final CompletableFuture<String> failed = new CompletableFuture<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    final AtomicInteger callbacks = new AtomicInteger();
    volatile Throwable failureCause;
    volatile long handshakeNanos = -1;
    volatile long connectedAtNanos = -1;
    volatile long failedAtNanos = -1;

    @Override
    public void onConnected(DtlsEndpoint.SrtpKeyMaterial keys, long handshakeNanos) {
        callbacks.incrementAndGet();
        this.handshakeNanos = handshakeNanos;
        this.connectedAtNanos = System.nanoTime();
        connected.complete(keys);
    }

    @Override
    public void onFailed(String reason, Throwable cause) {
        callbacks.incrementAndGet();
        failureCause = cause;
        failedAtNanos = System.nanoTime();
        failed.complete(reason);
    }

    @Override
    public void onClosed() {
        callbacks.incrementAndGet();
        closed.complete(null);
    }
}
