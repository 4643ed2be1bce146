package org.sluice.core.ice;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * A host candidate Sluice offers (an ICE-lite agent has host candidates only, RFC 8445 §2.5):
 * UDP, or TCP passive (RFC 6544), always component 1 (rtcp-mux, BUNDLE).
 *
 * @param tcpType {@link TcpType#PASSIVE} for TCP candidates, null for UDP
 */
public record LocalCandidate(String foundation, int component, TransportKind transport, long priority,
                             InetSocketAddress address, TcpType tcpType) {

    /** Component id of RTP (and muxed RTCP). */
    public static final int RTP_COMPONENT = 1;

    public LocalCandidate {
        Objects.requireNonNull(foundation, "foundation");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(address, "address");
        if (address.getAddress() == null) {
            throw new IllegalArgumentException("candidate address must be resolved");
        }
        if ((transport == TransportKind.TCP) != (tcpType != null)) {
            throw new IllegalArgumentException("tcptype is required for TCP and forbidden for UDP");
        }
    }

    /** A UDP host candidate with the given local preference (0..65535; 65535 for a single address). */
    public static LocalCandidate udpHost(InetSocketAddress address, int localPreference) {
        return new LocalCandidate(foundation(address.getAddress(), TransportKind.UDP), RTP_COMPONENT,
                TransportKind.UDP,
                CandidatePriority.priority(CandidateType.HOST.typePreference(), localPreference, RTP_COMPONENT),
                address, null);
    }

    /**
     * A TCP passive host candidate; local preference per RFC 6544 §4.2 with direction-pref 4
     * (passive, host) and the given other-pref (0..8191).
     */
    public static LocalCandidate tcpPassiveHost(InetSocketAddress address, int otherPreference) {
        int localPreference = CandidatePriority.tcpLocalPreference(
                TcpType.PASSIVE.hostDirectionPreference(), otherPreference);
        return new LocalCandidate(foundation(address.getAddress(), TransportKind.TCP), RTP_COMPONENT,
                TransportKind.TCP,
                CandidatePriority.priority(CandidateType.HOST.typePreference(), localPreference, RTP_COMPONENT),
                address, TcpType.PASSIVE);
    }

    /**
     * Host candidates for each address, in order of preference: UDP on {@code udpPort}, and TCP
     * passive on {@code tcpPort} when it is positive. Earlier addresses get higher local preferences.
     */
    public static List<LocalCandidate> hosts(List<InetAddress> addresses, int udpPort, int tcpPort) {
        List<LocalCandidate> candidates = new ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            InetAddress address = addresses.get(i);
            candidates.add(udpHost(new InetSocketAddress(address, udpPort),
                    Math.max(0, CandidatePriority.MAX_LOCAL_PREFERENCE - i)));
            if (tcpPort > 0) {
                candidates.add(tcpPassiveHost(new InetSocketAddress(address, tcpPort),
                        Math.max(0, CandidatePriority.MAX_TCP_OTHER_PREFERENCE - i)));
            }
        }
        return List.copyOf(candidates);
    }

    /**
     * Foundation (RFC 8445 §5.1.1.3): equal for candidates of the same type, base address and
     * transport; here a CRC-32 of those, in decimal (at most 10 ice-chars).
     */
    static String foundation(InetAddress address, TransportKind transport) {
        CRC32 crc = new CRC32();
        crc.update(("host " + address.getHostAddress() + " " + transport.sdpName()).getBytes(StandardCharsets.UTF_8));
        return Long.toString(crc.getValue());
    }

    /** The address as SDP wants it: IPv4 dotted quad or IPv6 text without a zone id. */
    public String addressText() {
        String text = address.getAddress().getHostAddress();
        if (address.getAddress() instanceof Inet6Address) {
            int zone = text.indexOf('%');
            if (zone >= 0) {
                text = text.substring(0, zone);
            }
        }
        return text;
    }

    /**
     * The candidate attribute value (RFC 8839 §5.1) without the {@code a=} prefix, e.g.
     * {@code candidate:1 1 udp 2130706431 192.0.2.1 5000 typ host} or
     * {@code candidate:2 1 tcp 1694498815 192.0.2.1 443 typ host tcptype passive}.
     */
    public String toSdpAttribute() {
        StringBuilder sb = new StringBuilder(96)
                .append("candidate:").append(foundation).append(' ')
                .append(component).append(' ')
                .append(transport.sdpName()).append(' ')
                .append(priority).append(' ')
                .append(addressText()).append(' ')
                .append(address.getPort())
                .append(" typ host");
        if (tcpType != null) {
            sb.append(" tcptype ").append(tcpType.sdpName());
        }
        return sb.toString();
    }
}
