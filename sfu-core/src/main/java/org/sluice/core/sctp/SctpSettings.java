package org.sluice.core.sctp;

import java.time.Duration;

/**
 * Association parameters. Defaults follow RFC 9260 §16 (RTO.Initial 1 s, RTO.Min 1 s, RTO.Max
 * 60 s, Max.Init.Retransmits 8, Association.Max.Retrans 10, Valid.Cookie.Life 60 s, HB.interval
 * 30 s) and the WebRTC profile (RFC 8831: port 5000, packets that fit one DTLS record in the 1200-byte datagrams
 * the DTLS layer sends; {@code a=max-message-size} 256 KiB).
 *
 * @param port               our and the peer's SCTP port ({@code a=sctp-port})
 * @param mtu                largest SCTP packet we send
 * @param maxMessageSize     largest message we send or reassemble
 * @param receiveWindow      bytes we buffer for reassembly and advertise as a_rwnd
 * @param rtoInitial         RTO before any measurement
 * @param rtoMin             lower bound of the RTO
 * @param rtoMax             upper bound of the RTO
 * @param maxInitRetransmits INIT / COOKIE ECHO retransmissions before giving up
 * @param maxRetransmits     consecutive retransmission timeouts before the association fails
 * @param cookieLifetime     how long a state cookie we issued is accepted
 * @param heartbeatInterval  idle time before a HEARTBEAT
 * @param delayedAck         longest wait before a SACK for in-order data
 * @param maxInitsEstablished INITs accepted (and answered) once established before the peer is treated as flooding
 * @param maxPendingBytes    bytes queued for sending before {@link SctpAssociation#send} refuses
 */
public record SctpSettings(int port, int mtu, int maxMessageSize, int receiveWindow, Duration rtoInitial,
                           Duration rtoMin, Duration rtoMax, int maxInitRetransmits, int maxRetransmits,
                           Duration cookieLifetime, Duration heartbeatInterval, Duration delayedAck,
                           int maxInitsEstablished, int maxPendingBytes) {

    public static final int DEFAULT_PORT = 5000;
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 256 * 1024;
    /**
     * SCTP packets fit one DTLS record inside a 1200-byte datagram: DTLS 1.2 with AES-GCM adds 13 bytes of header,
     * 8 of explicit nonce and 16 of tag (1163 left); a little margin for other suites.
     */
    public static final int DEFAULT_MTU = 1140;

    public SctpSettings {
        if (mtu < 256 || maxMessageSize < 1 || receiveWindow < 1500 || maxPendingBytes < maxMessageSize) {
            throw new IllegalArgumentException("bad SCTP settings");
        }
    }

    public static SctpSettings defaults() {
        return new SctpSettings(DEFAULT_PORT, DEFAULT_MTU, DEFAULT_MAX_MESSAGE_SIZE, 1024 * 1024,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(60), 8, 10,
                Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofMillis(200), 16, 4 * 1024 * 1024);
    }

    public SctpSettings withMaxMessageSize(int size) {
        return new SctpSettings(port, mtu, size, Math.max(receiveWindow, size + 64 * 1024), rtoInitial, rtoMin,
                rtoMax, maxInitRetransmits, maxRetransmits, cookieLifetime, heartbeatInterval, delayedAck,
                maxInitsEstablished, Math.max(maxPendingBytes, size));
    }

    public SctpSettings withRtoMin(Duration min) {
        return new SctpSettings(port, mtu, maxMessageSize, receiveWindow, rtoInitial, min, rtoMax,
                maxInitRetransmits, maxRetransmits, cookieLifetime, heartbeatInterval, delayedAck,
                maxInitsEstablished, maxPendingBytes);
    }
}
