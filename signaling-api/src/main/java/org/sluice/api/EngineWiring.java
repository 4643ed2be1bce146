package org.sluice.api;

import org.sluice.api.config.ServerConfig;
import org.sluice.core.engine.EngineConfig;
import org.sluice.core.engine.SfuEngine;
import org.sluice.core.metrics.EngineMetrics;
import org.sluice.api.shutdown.Drainable;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** The construction point of the production media engine, used by {@link Main}. */
public final class EngineWiring {

    private EngineWiring() {
    }

    /** The factory {@link Main} uses: an {@link SfuEngine} on the configured media sockets. */
    public static EngineFactory production() {
        return config -> {
            EngineConfig engineConfig = engineConfig(config);
            try {
                SfuEngine engine = SfuEngine.start(engineConfig);
                return new Engine(engine, engine.conferences(), engine, new EngineMetrics(engine), drainable(engine));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineUnavailableException("interrupted while opening the media sockets", e);
            } catch (java.io.IOException | RuntimeException e) {
                throw new EngineUnavailableException("cannot open the media sockets on "
                        + config.mediaBindAddress() + " (udp " + config.mediaUdpPort() + ", tcp "
                        + config.mediaTcpPort() + "): " + rootMessage(e), e);
            }
        };
    }

    /**
     * The engine's drain: {@link SfuEngine#drain()} refuses new WHIP/WHEP offers as unavailable (HTTP 503) and new
     * conference participants; live sessions and participants are counted until they end.
     */
    static Drainable drainable(SfuEngine engine) {
        return new Drainable() {
            @Override
            public void stopAdmitting() {
                engine.drain();
            }

            @Override
            public int liveSessions() {
                return engine.sessionCount() + engine.participantCount();
            }
        };
    }

    /** Maps the server configuration onto the engine's. */
    static EngineConfig engineConfig(ServerConfig config) throws EngineUnavailableException {
        InetAddress bind = address(config.mediaBindAddress());
        List<InetAddress> advertised = new ArrayList<>();
        for (String text : config.advertisedAddresses()) {
            advertised.add(address(text));
        }
        if (advertised.isEmpty()) {
            advertised.add(bind);
        }
        int tcpPort = config.mediaTcpPort() == 0 ? -1 : config.mediaTcpPort();
        return new EngineConfig(bind, config.mediaUdpPort(), tcpPort, advertised, config.mediaEventLoops(),
                config.dtlsThreads(), config.dtlsHandshakeTimeout(), config.iceServers(), true)
                .withConference(config.conferenceSettings())
                .withSrtpMaxStreams(config.srtpMaxStreams())
                .withBroadcastRepairWindow(config.broadcastRepairWindow())
                .withDataChannelLimits(config.dataChannelLimits());
    }

    private static InetAddress address(String text) throws EngineUnavailableException {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new EngineUnavailableException("not an address: " + text, e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
