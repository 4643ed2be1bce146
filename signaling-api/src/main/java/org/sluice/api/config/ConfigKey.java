package org.sluice.api.config;

import java.util.Locale;

/**
 * Every configuration key, with the names it has in a config file, the environment and on the
 * command line. The file name is the canonical one ({@code http.port}); the environment variable
 * is {@code SLUICE_} plus the name upper-cased with dots and dashes as underscores
 * ({@code SLUICE_HTTP_PORT}); the flag is {@code --} plus the name with dots as dashes
 * ({@code --http-port}).
 */
public enum ConfigKey {
    HTTP_HOST("http.host"),
    HTTP_PORT("http.port"),
    MEDIA_UDP_PORT("media.udp-port"),
    MEDIA_TCP_PORT("media.tcp-port"),
    MEDIA_BIND_ADDRESS("media.bind-address"),
    MEDIA_ADVERTISED_ADDRESSES("media.advertised-addresses"),
    MEDIA_EVENT_LOOPS("media.event-loops"),
    MEDIA_SRTP_MAX_STREAMS("media.srtp-max-streams"),
    DTLS_HANDSHAKE_TIMEOUT("dtls.handshake-timeout"),
    DTLS_THREADS("dtls.threads"),
    AUTH_SECRET("auth.secret"),
    AUTH_SECRET_ID("auth.secret-id"),
    AUTH_HS256_SECRETS("auth.hs256-secrets"),
    AUTH_PUBLIC_KEYS("auth.public-keys"),
    AUTH_JWKS("auth.jwks"),
    AUTH_JWKS_REFRESH("auth.jwks-refresh"),
    AUTH_ISSUER("auth.issuer"),
    AUTH_AUDIENCE("auth.audience"),
    METRICS_REQUIRE_TOKEN("metrics.require-token"),
    LOG_LEVEL("log.level"),
    LOG_LEVELS("log.levels"),
    LOG_FORMAT("log.format"),
    ICE_SERVERS("ice.servers"),
    SHUTDOWN_DRAIN_TIME("shutdown.drain-time"),
    BROADCAST_REPAIR_WINDOW("broadcast.repair-window"),
    CONFERENCE_MAX_PARTICIPANTS("conference.max-participants"),
    CONFERENCE_MAX_TRACKS_PER_PARTICIPANT("conference.max-tracks-per-participant"),
    CONFERENCE_RECONNECT_GRACE("conference.reconnect-grace"),
    CONFERENCE_EMPTY_ROOM_TIMEOUT("conference.empty-room-timeout"),
    DATACHANNEL_MESSAGES_PER_SECOND("datachannel.messages-per-second"),
    DATACHANNEL_BYTES_PER_SECOND("datachannel.bytes-per-second"),
    CLUSTER_ENABLED("cluster.enabled"),
    CLUSTER_HOST("cluster.host"),
    CLUSTER_PORT("cluster.port"),
    CLUSTER_MEMBERS("cluster.members"),
    CLUSTER_PUBLIC_URL("cluster.public-url"),
    CLUSTER_KUBERNETES_SERVICE("cluster.kubernetes-service"),
    CLUSTER_KUBERNETES_NAMESPACE("cluster.kubernetes-namespace"),
    CLUSTER_EDGE_RELAYS("cluster.edge-relays");

    private final String fileName;

    ConfigKey(String fileName) {
        this.fileName = fileName;
    }

    /** The key's name in a config file, e.g. {@code http.port}. */
    public String fileName() {
        return fileName;
    }

    /** The environment variable, e.g. {@code SLUICE_HTTP_PORT}. */
    public String envName() {
        return "SLUICE_" + fileName.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The command-line flag without a value, e.g. {@code --http-port}. */
    public String flagName() {
        return "--" + fileName.replace('.', '-');
    }

    /** The key whose file name is {@code name}, or {@code null}. */
    static ConfigKey byFileName(String name) {
        for (ConfigKey key : values()) {
            if (key.fileName.equals(name)) {
                return key;
            }
        }
        return null;
    }

    /** The key whose flag is {@code flag} (e.g. {@code --http-port}), or {@code null}. */
    static ConfigKey byFlag(String flag) {
        for (ConfigKey key : values()) {
            if (key.flagName().equals(flag)) {
                return key;
            }
        }
        return null;
    }
}
