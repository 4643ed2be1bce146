package org.sluice.api.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.sluice.api.cluster.ClusterSettings;
import org.sluice.core.conference.ConferenceSettings;
import org.sluice.core.datachannel.RoomDataRelay;
import org.sluice.core.session.IceServer;
import org.sluice.rtp.srtp.SrtpSessionConfig;

/**
 * The server's settings, validated. Built by {@link ConfigLoader}; see {@code docs/configuration.md}
 * for every key.
 *
 * @param httpHost               address the HTTP server binds
 * @param httpPort               HTTP port (0 picks a free one)
 * @param mediaUdpPort           the one UDP port for all media
 * @param mediaTcpPort           the ICE-TCP port (0 disables ICE-TCP)
 * @param mediaBindAddress       address the media sockets bind
 * @param advertisedAddresses    addresses put in ICE candidates
 * @param authSecret             HS256 secret for bearer tokens; empty means no authentication
 * @param iceServers             STUN/TURN servers advertised to clients
 * @param dtlsHandshakeTimeout   how long a DTLS handshake may take
 * @param mediaEventLoops        number of media event loops
 * @param shutdownDrainTime      how long live sessions may keep flowing after a shutdown signal
 * @param conferenceSettings     conferencing limits and timers (participants, tracks, reconnect grace, empty rooms)
 * @param auth                   verification keys beyond {@code authSecret}, issuer/audience rules, {@code /metrics} token
 * @param logging                log level and format
 * @param srtpMaxStreams         SSRCs active at once per SRTP session (one direction of one transport)
 * @param broadcastRepairWindow  how long a broadcast room holds a publisher's video behind a hole for its
 *                               retransmission (0: forwarded as it comes)
 * @param dataChannelLimits      messages and bytes per second each conference participant may send on its data
 *                               channels (one second of burst); more is dropped
 * @param cluster                how this server joins a cluster ({@link ClusterSettings#OFF}: a single node)
 * @param dtlsThreads            threads running DTLS handshakes and decrypting data channel records
 */
public record ServerConfig(
        String httpHost,
        int httpPort,
        int mediaUdpPort,
        int mediaTcpPort,
        String mediaBindAddress,
        List<String> advertisedAddresses,
        Optional<String> authSecret,
        List<IceServer> iceServers,
        Duration dtlsHandshakeTimeout,
        int mediaEventLoops,
        Duration shutdownDrainTime,
        ConferenceSettings conferenceSettings,
        AuthSettings auth,
        LogSettings logging,
        int srtpMaxStreams,
        Duration broadcastRepairWindow,
        RoomDataRelay.Limits dataChannelLimits,
        ClusterSettings cluster,
        int dtlsThreads) {

    /** DTLS threads when none are configured (the settings built without {@link ConfigLoader}). */
    public static final int DEFAULT_DTLS_THREADS = 4;

    /** The drain time when none is configured. */
    public static final Duration DEFAULT_DRAIN_TIME = Duration.ofSeconds(30);

    public ServerConfig {
        advertisedAddresses = List.copyOf(advertisedAddresses);
        iceServers = List.copyOf(iceServers);
        Objects.requireNonNull(conferenceSettings, "conferenceSettings");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(logging, "logging");
        Objects.requireNonNull(broadcastRepairWindow, "broadcastRepairWindow");
        Objects.requireNonNull(dataChannelLimits, "dataChannelLimits");
        Objects.requireNonNull(cluster, "cluster");
        if (dtlsThreads < 1) {
            throw new IllegalArgumentException("dtlsThreads must be at least 1");
        }
    }

    /**
     * The settings with no keys beyond {@code authSecret}, the default logging, the default SRTP stream limit, no
     * repair window and the default data channel limits.
     */
    public ServerConfig(String httpHost, int httpPort, int mediaUdpPort, int mediaTcpPort, String mediaBindAddress,
            List<String> advertisedAddresses, Optional<String> authSecret, List<IceServer> iceServers,
            Duration dtlsHandshakeTimeout, int mediaEventLoops, Duration shutdownDrainTime,
            ConferenceSettings conferenceSettings) {
        this(httpHost, httpPort, mediaUdpPort, mediaTcpPort, mediaBindAddress, advertisedAddresses, authSecret,
                iceServers, dtlsHandshakeTimeout, mediaEventLoops, shutdownDrainTime, conferenceSettings,
                AuthSettings.NONE, LogSettings.DEFAULTS, SrtpSessionConfig.DEFAULT_MAX_STREAMS, Duration.ZERO,
                RoomDataRelay.Limits.DEFAULT, ClusterSettings.OFF, DEFAULT_DTLS_THREADS);
    }

    /** The settings with the default conferencing settings. */
    public ServerConfig(String httpHost, int httpPort, int mediaUdpPort, int mediaTcpPort, String mediaBindAddress,
            List<String> advertisedAddresses, Optional<String> authSecret, List<IceServer> iceServers,
            Duration dtlsHandshakeTimeout, int mediaEventLoops, Duration shutdownDrainTime) {
        this(httpHost, httpPort, mediaUdpPort, mediaTcpPort, mediaBindAddress, advertisedAddresses, authSecret,
                iceServers, dtlsHandshakeTimeout, mediaEventLoops, shutdownDrainTime, ConferenceSettings.DEFAULTS);
    }

    /** The settings with the default drain time. */
    public ServerConfig(String httpHost, int httpPort, int mediaUdpPort, int mediaTcpPort, String mediaBindAddress,
            List<String> advertisedAddresses, Optional<String> authSecret, List<IceServer> iceServers,
            Duration dtlsHandshakeTimeout, int mediaEventLoops) {
        this(httpHost, httpPort, mediaUdpPort, mediaTcpPort, mediaBindAddress, advertisedAddresses, authSecret,
                iceServers, dtlsHandshakeTimeout, mediaEventLoops, DEFAULT_DRAIN_TIME);
    }

    /** True when bearer tokens are checked; false means any token (or none) is accepted. */
    public boolean authEnabled() {
        return authSecret.isPresent() || auth.hasKeys();
    }

    /** The same settings with other authentication keys and rules (tests). */
    public ServerConfig withAuth(Optional<String> secret, AuthSettings authSettings) {
        return new ServerConfig(httpHost, httpPort, mediaUdpPort, mediaTcpPort, mediaBindAddress, advertisedAddresses,
                secret, iceServers, dtlsHandshakeTimeout, mediaEventLoops, shutdownDrainTime, conferenceSettings,
                authSettings, logging, srtpMaxStreams, broadcastRepairWindow, dataChannelLimits, cluster, dtlsThreads);
    }

    /** The same settings on another HTTP address (tests bind 127.0.0.1 on a free port). */
    public ServerConfig withHttp(String host, int port) {
        return new ServerConfig(host, port, mediaUdpPort, mediaTcpPort, mediaBindAddress, advertisedAddresses,
                authSecret, iceServers, dtlsHandshakeTimeout, mediaEventLoops, shutdownDrainTime,
                conferenceSettings, auth, logging, srtpMaxStreams, broadcastRepairWindow, dataChannelLimits, cluster, dtlsThreads);
    }

    /** The same settings in a cluster. */
    public ServerConfig withCluster(ClusterSettings clusterSettings) {
        return new ServerConfig(httpHost, httpPort, mediaUdpPort, mediaTcpPort, mediaBindAddress, advertisedAddresses,
                authSecret, iceServers, dtlsHandshakeTimeout, mediaEventLoops, shutdownDrainTime, conferenceSettings,
                auth, logging, srtpMaxStreams, broadcastRepairWindow, dataChannelLimits, clusterSettings, dtlsThreads);
    }

    @Override
    public String toString() {
        return "ServerConfig[http=" + httpHost + ":" + httpPort + ", mediaUdpPort=" + mediaUdpPort
                + ", mediaTcpPort=" + mediaTcpPort + ", mediaBindAddress=" + mediaBindAddress
                + ", advertisedAddresses=" + advertisedAddresses + ", auth=" + (authEnabled() ? auth : "none")
                + ", iceServers=" + iceServers.size() + ", dtlsHandshakeTimeout=" + dtlsHandshakeTimeout
                + ", mediaEventLoops=" + mediaEventLoops + ", shutdownDrainTime=" + shutdownDrainTime
                + ", conference=" + conferenceSettings + ", logging=" + logging + ", srtpMaxStreams=" + srtpMaxStreams
                + ", broadcastRepairWindow=" + broadcastRepairWindow + ", dataChannelLimits=" + dataChannelLimits
                + ", cluster=" + cluster + ", dtlsThreads=" + dtlsThreads + "]";
    }
}
