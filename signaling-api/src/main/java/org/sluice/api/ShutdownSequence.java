package org.sluice.api;

import org.sluice.api.shutdown.Drainable;
import org.sluice.api.shutdown.GracefulShutdown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the SIGTERM hook runs: readiness off and admission stopped at once, live sessions drained for
 * up to the drain time, then the HTTP server, the engine and the meters closed, in that order.
 */
final class ShutdownSequence implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownSequence.class);

    private final SluiceServer server;
    private final Drainable engine;
    private final GracefulShutdown drain;
    private final AutoCloseable[] closeAfter;

    /**
     * @param closeAfter closed in order once the drain is over and the HTTP server is stopped
     */
    ShutdownSequence(SluiceServer server, Drainable engine, GracefulShutdown drain, AutoCloseable... closeAfter) {
        this.server = server;
        this.engine = engine;
        this.drain = drain;
        this.closeAfter = closeAfter.clone();
    }

    @Override
    public void run() {
        server.stopAdmitting();
        LOG.info("shutting down: not ready, admitting no sessions, draining {} live", engine.liveSessions());
        boolean drained = drain.drain(engine);
        if (!drained) {
            LOG.info("drain time over with {} sessions live; closing them", engine.liveSessions());
        }
        server.close();
        for (AutoCloseable closeable : closeAfter) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("did not close cleanly: {}", e.toString());
            }
        }
    }
}
