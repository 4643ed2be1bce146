package org.sluice.core.engine;

import org.sluice.core.broadcast.BroadcastRoom;
import org.sluice.core.conference.ConferenceSettings;
import org.sluice.core.datachannel.RoomDataRelay;
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
 * @param dataChannelLimits what each conference participant may send on its data channels: messages and bytes per
 *                          second, with one second of burst (see {@link #checkDataChannelLimits} for the ranges)
 * @param udpSegmentation whether the media loops may hand a run of datagrams to one peer to the kernel as one
 *                        segmented message ({@code UDP_SEGMENT}), where the kernel and the send path allow it
 *                        (see {@link org.sluice.core.net.MediaNetworkConfig})
 */
public record EngineConfig(InetAddress bindAddress, int udpPort, int tcpPort, List<InetAddress> advertisedAddresses,
                           int mediaLoops, int dtlsThreads, Duration dtlsHandshakeTimeout, List<IceServer> iceServers,
                           boolean udpCandidates, ConferenceSettings conference, int srtpMaxStreams,
                           Duration broadcastRepairWindow, RoomDataRelay.Limits dataChannelLimits,
                           boolean udpSegmentation) {

    /** Data channel messages per second a participant may be allowed at most. */
    public static final int MAX_DATA_CHANNEL_MESSAGES_PER_SECOND = 1_000_000;
    /** Data channel bytes per second a participant must be allowed at least. */
    public static final int MIN_DATA_CHANNEL_BYTES_PER_SECOND = 1024;
    /** Data channel bytes per second a participant may be allowed at most (1 GiB). */
    public static final int MAX_DATA_CHANNEL_BYTES_PER_SECOND = 1 << 30;

    /** A configuration with UDP segmentation where available. */
    public EngineConfig(InetAddress bindAddress, int udpPort, int tcpPort, List<InetAddress> advertisedAddresses,
                        int mediaLoops, int dtlsThreads, Duration dtlsHandshakeTimeout, List<IceServer> iceServers,
                        boolean udpCandidates, ConferenceSettings conference, int srtpMaxStreams,
                        Duration broadcastRepairWindow, RoomDataRelay.Limits dataChannelLimits) {
        this(bindAddress, udpPort, tcpPort, advertisedAddresses, mediaLoops, dtlsThreads, dtlsHandshakeTimeout,
                iceServers, udpCandidates, conference, srtpMaxStreams, broadcastRepairWindow, dataChannelLimits, true);
    }

    /** A configuration with the default data channel limits ({@link RoomDataRelay.Limits#DEFAULT}). */
    public EngineConfig(InetAddress bindAddress, int udpPort, int tcpPort, List<InetAddress> advertisedAddresses,
                        int mediaLoops, int dtlsThreads, Duration dtlsHandshakeTimeout, List<IceServer> iceServers,
                        boolean udpCandidates, ConferenceSettings conference, int srtpMaxStreams,
                        Duration broadcastRepairWindow) {
        this(bindAddress, udpPort, tcpPort, advertisedAddresses, mediaLoops, dtlsThreads, dtlsHandshakeTimeout,
                iceServers, udpCandidates, conference, srtpMaxStreams, broadcastRepairWindow,
                RoomDataRelay.Limits.DEFAULT);
    }

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
        checkDataChannelLimits(dataChannelLimits);
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
                dtlsHandshakeTimeout, iceServers, udpCandidates, conference, srtpMaxStreams, broadcastRepairWindow,
                dataChannelLimits, udpSegmentation);
    }

    public EngineConfig withUdpCandidates(boolean enabled) {
        return new EngineConfig(bindAddress, udpPort, tcpPort, advertisedAddresses, mediaLoops, dtlsThreads,
                dtlsHandshakeTimeout, iceServers, enabled, conference, srtpMaxStreams, broadcastRepairWindow,
                dataChannelLimits, udpSegmentation);
    }

    public EngineConfig withConference(ConferenceSettings settings) {
        return new EngineConfig(bindAddress, udpPort, tcpPort, advertisedAddresses, mediaLoops, dtlsThreads,
                dtlsHandshakeTimeout, iceServers, udpCandidates, settings, srtpMaxStreams, broadcastRepairWindow,
                dataChannelLimits, udpSegmentation);
    }

    /** The same with at most {@code maxStreams} SSRCs active per SRTP session. */
    public EngineConfig withSrtpMaxStreams(int maxStreams) {
        return new EngineConfig(bindAddress, udpPort, tcpPort, advertisedAddresses, mediaLoops, dtlsThreads,
                dtlsHandshakeTimeout, iceServers, udpCandidates, conference, maxStreams, broadcastRepairWindow,
                dataChannelLimits, udpSegmentation);
    }

    public EngineConfig withMediaLoops(int loops) {
        return new EngineConfig(bindAddress, udpPort, tcpPort, advertisedAddresses, loops, dtlsThreads,
                dtlsHandshakeTimeout, iceServers, udpCandidates, conference, srtpMaxStreams, broadcastRepairWindow,
                dataChannelLimits, udpSegmentation);
    }

    /** The same with broadcast rooms holding publishers' video behind holes for up to {@code window}. */
    public EngineConfig withBroadcastRepairWindow(Duration window) {
        return new EngineConfig(bindAddress, udpPort, tcpPort, advertisedAddresses, mediaLoops, dtlsThreads,
                dtlsHandshakeTimeout, iceServers, udpCandidates, conference, srtpMaxStreams, window,
                dataChannelLimits, udpSegmentation);
    }

    /** The same with each participant held to {@code limits} on its data channels. */
    public EngineConfig withDataChannelLimits(RoomDataRelay.Limits limits) {
        return new EngineConfig(bindAddress, udpPort, tcpPort, advertisedAddresses, mediaLoops, dtlsThreads,
                dtlsHandshakeTimeout, iceServers, udpCandidates, conference, srtpMaxStreams, broadcastRepairWindow,
                limits, udpSegmentation);
    }

    /**
     * The same with runs of datagrams to one peer sent as segmented messages ({@code true}, the default, where the
     * kernel and the send path allow it) or each datagram as its own message. Off where something per packet sits
     * on this host's path, e.g. a {@code tc} queue or an {@code iptables} rule on {@code lo}: those see a segmented
     * message as one packet.
     */
    public EngineConfig withUdpSegmentation(boolean enabled) {
        return new EngineConfig(bindAddress, udpPort, tcpPort, advertisedAddresses, mediaLoops, dtlsThreads,
                dtlsHandshakeTimeout, iceServers, udpCandidates, conference, srtpMaxStreams, broadcastRepairWindow,
                dataChannelLimits, enabled);
    }

    /**
     * Checks per-participant data channel limits: 1 to {@link #MAX_DATA_CHANNEL_MESSAGES_PER_SECOND} messages and
     * {@link #MIN_DATA_CHANNEL_BYTES_PER_SECOND} to {@link #MAX_DATA_CHANNEL_BYTES_PER_SECOND} bytes per second.
     *
     * @return {@code limits}
     * @throws IllegalArgumentException if either is out of its range
     */
    public static RoomDataRelay.Limits checkDataChannelLimits(RoomDataRelay.Limits limits) {
        java.util.Objects.requireNonNull(limits, "dataChannelLimits");
        if (limits.messagesPerSecond() < 1 || limits.messagesPerSecond() > MAX_DATA_CHANNEL_MESSAGES_PER_SECOND) {
            throw new IllegalArgumentException("data channel messages per second must be from 1 to "
                    + MAX_DATA_CHANNEL_MESSAGES_PER_SECOND + ", not " + limits.messagesPerSecond());
        }
        if (limits.bytesPerSecond() < MIN_DATA_CHANNEL_BYTES_PER_SECOND
                || limits.bytesPerSecond() > MAX_DATA_CHANNEL_BYTES_PER_SECOND) {
            throw new IllegalArgumentException("data channel bytes per second must be from "
                    + MIN_DATA_CHANNEL_BYTES_PER_SECOND + " to " + MAX_DATA_CHANNEL_BYTES_PER_SECOND + ", not "
                    + limits.bytesPerSecond());
        }
        return limits;
    }
}
