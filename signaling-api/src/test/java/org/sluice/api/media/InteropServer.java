package org.sluice.api.media;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.sluice.api.browser.InteropPreconditions;

/**
 * The real server a browser interop test class shares: registered as a static {@code @RegisterExtension} field, it
 * checks the interop preconditions (Chromium, loopback-only network) before the class, starts the server, and closes
 * it after the class.
 */
public final class InteropServer implements BeforeAllCallback, AfterAllCallback {

    /** How the server is started. */
    @FunctionalInterface
    public interface Start {
        LoopbackMediaServer start() throws Exception;
    }

    private final Start start;
    private LoopbackMediaServer server;

    /** The server with its default configuration. */
    public InteropServer() {
        this(LoopbackMediaServer::start);
    }

    /**
     * The server for a test that shapes {@code lo} ({@link LossyLink}, {@link RateLimitedLink}): it sends each
     * datagram as its own message. {@code lo}'s queues and {@code iptables} see a segmented message as one packet
     * (one drop would take a whole run, one queue slot would hold it), where a real bottleneck, past the sending
     * host's interface, sees its datagrams.
     */
    public static InteropServer forShapedLoopback() {
        return new InteropServer(() -> LoopbackMediaServer.start(
                org.sluice.core.engine.EngineConfig.loopback().withMediaLoops(2).withUdpSegmentation(false)));
    }

    public InteropServer(Start start) {
        this.start = start;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        InteropPreconditions.requireChromiumAndIsolatedNetwork();
        server = start.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The running server. */
    public LoopbackMediaServer server() {
        return server;
    }

    /** The server's {@code http://127.0.0.1:port} origin. */
    public String origin() {
        return server.origin();
    }
}
