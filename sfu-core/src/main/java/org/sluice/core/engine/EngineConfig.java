package org.sluice.core.engine;

import org.sluice.core.broadcast.BroadcastRoom;
import org.sluice.core.conference.ConferenceSettings;
import org.sluice.core.session.IceServer;
import org.sluice.rtp.srtp.SrtpSessionConfig;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * How the engine runs.
 *
 * @param bindAddress address the media sockets bind to
 * @param udpPort the shared media UDP port (0: any free port)
 * @param tcpPort the ICE-TCP port (0: any free port, -1: no ICE-TCP)
 * @param advertisedAddresses addresses put in ICE candidates (what clients can reach)
 * @param mediaLoops number of media event loops
 * @param dtlsThreads threads running DTLS handshakes
 * @param dtlsHandshakeTimeout how long a DTLS handshake may take
 * @param iceServers STUN/TURN servers advertised to clients
 * @param udpCandidates whether UDP candidates are offered (off: ICE-TCP only)
 * @param conference conferencing limits and timers
 * @param srtpMaxStreams SSRCs active at once in one SRTP session (one direction of one transport); streams of
 *                       ended subscriptions and publications do not count
 * @param broadcastRepairWindow how long broadcast rooms hold a publisher's video behind a hole in its sequence
 *                              numbers for the retransmission (0: cut-through), at most {@link BroadcastRoom#MAX_REPAIR_WINDOW}
 */
public record EngineConfig(InetAddress bindAddress, int udpPort, int tcpPort, List<InetAddress> advertisedAddresses,
                           int mediaLoops, int dtlsThreads, Duration dtlsHandshakeTimeout, List<IceServer> iceServers,
                           boolean udpCandidates, ConferenceSettings conference, int srtpMaxStreams,
                           Duration broadcastRepairWindow) {

    /** A configuration without a repair window. */
    public EngineConfig(InetAddress bindAddress, int udpPort, int tcpPort, List<InetAddress> advertisedAddresses,
                        int mediaLoops, int dtlsThreads, Duration dtlsHandshakeTimeout, List<IceServer> iceServers,
                        boolean udpCandidates, ConferenceSettings conference, int srtpMaxStreams) {
        this(bindAddress, udpPort, tcpPort, advertisedAddresses, mediaLoops, dtlsThreads, dtlsHandshakeTimeout,
                iceServers, udpCandidates, conference, srtpMaxStreams, Duration.ZERO);
    }

    /** A configuration with the default SRTP stream limit. */
    public EngineConfig(InetAddress bindAddress, int udpPort, int tcpPort, List<InetAddress> advertisedAddresses,
                        int mediaLoops, int dtlsThreads, Duration dtlsHandshakeTimeout, List<IceServer> iceServers,
                        boolean udpCandidates, ConferenceSettings conference) {
        this(bindAddress, udpPort, tcpPort, advertisedAddresses, mediaLoops, dtlsThreads, dtlsHandshakeTimeout,
                iceServers, udpCandidates, conference, SrtpSessionConfig.DEFAULT_MAX_STREAMS);
    }

    /** A configuration with the default conference settings. */
    public EngineConfig(InetAddress bindAddress, int udpPort, int tcpPort, List<InetAddress> advertisedAddresses,
                        int mediaLoops, int dtlsThreads, Duration dtlsHandshakeTimeout, List<IceServer> iceServers,
                        boolean udpCandidates) {
        this(bindAddress, udpPort, tcpPort, advertisedAddresses, mediaLoops, dtlsThreads, dtlsHandshakeTimeout,
                iceServers, udpCandidates, ConferenceSettings.DEFAULTS);
    }

    public EngineConfig {
        java.util.Objects.requireNonNull(conference, "conference");
        advertisedAddresses = List.copyOf(advertisedAddresses);
        iceServers = List.copyOf(iceServers);
        if (advertisedAddresses.isEmpty()) {
            throw new IllegalArgumentException("at least one advertised media address is needed");
        }
        SrtpSessionConfig.withMaxStreams(srtpMaxStreams); // validates the range
        BroadcastRoom.checkRepairWindow(broadcastRepairWindow);
        if (!udpCandidates && tcpPort < 0) {
            throw new IllegalArgumentException("with UDP candidates off, ICE-TCP must be on");
        }
    }

    /** Loopback everything, any free ports: for tests and the out-of-the-box demo. */
    public static EngineConfig loopback() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        return new EngineConfig(loopback, 0, 0, List.of(loopback), Math.max(1, Runtime.getRuntime().availableProcessors()),
                4, Duration.ofSeconds(10), List.of(), true);
    }

    public EngineConfig withPorts(int udp, int tcp) {
        return new EngineConfig(bindAddress, udp, tcp, advertisedAddresses, mediaLoops, dtlsThreads,
                dtlsHandshakeTimeout, iceServers, udpCandidates, conference, srtpMaxStreams, broadcastRepairWindow);
    }

    public EngineConfig withUdpCandidates(boolean enabled) {
        return new EngineConfig(bindAddress, udpPort, tcpPort, advertisedAddresses, mediaLoops, dtlsThreads,
                dtlsHandshakeTimeout, iceServers, enabled, conference, srtpMaxStreams, broadcastRepairWindow);
    }

    public EngineConfig withConference(ConferenceSettings settings) {
        return new EngineConfig(bindAddress, udpPort, tcpPort, advertisedAddresses, mediaLoops, dtlsThreads,
                dtlsHandshakeTimeout, iceServers, udpCandidates, settings, srtpMaxStreams, broadcastRepairWindow);
    }

    /** The same with at most {@code maxStreams} SSRCs active per SRTP session. */
    public EngineConfig withSrtpMaxStreams(int maxStreams) {
        return new EngineConfig(bindAddress, udpPort, tcpPort, advertisedAddresses, mediaLoops, dtlsThreads,
                dtlsHandshakeTimeout, iceServers, udpCandidates, conference, maxStreams, broadcastRepairWindow);
    }

    public EngineConfig withMediaLoops(int loops) {
        return new EngineConfig(bindAddress, udpPort, tcpPort, advertisedAddresses, loops, dtlsThreads,
                dtlsHandshakeTimeout, iceServers, udpCandidates, conference, srtpMaxStreams, broadcastRepairWindow);
    }

    /** The same with broadcast rooms holding publishers' video behind holes for up to {@code window}. */
    public EngineConfig withBroadcastRepairWindow(Duration window) {
        return new EngineConfig(bindAddress, udpPort, tcpPort, advertisedAddresses, mediaLoops, dtlsThreads,
                dtlsHandshakeTimeout, iceServers, udpCandidates, conference, srtpMaxStreams, window);
    }
}
