package org.sluice.core.ice;

/**
 * A candidate of the peer, parsed from an SDP {@code a=candidate} line (RFC 8839 §5.1) or a
 * trickled one. {@code address} is kept as text: an IP literal or a hostname (e.g. an mDNS
 * {@code .local} name), never resolved here.
 *
 * @param relatedAddress {@code raddr}, or null
 * @param relatedPort    {@code rport}, or -1
 * @param tcpType        for TCP candidates, their tcptype; null for UDP
 */
public record RemoteCandidate(String foundation, int component, TransportKind transport, long priority,
                              String address, int port, CandidateType type, String relatedAddress,
                              int relatedPort, TcpType tcpType) {

    /** Whether the address is an IP literal (as opposed to a hostname such as an mDNS name). */
    public boolean hasIpAddress() {
        return RemoteCandidateParser.isIpLiteral(address);
    }
}
