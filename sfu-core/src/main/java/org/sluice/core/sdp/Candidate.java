package org.sluice.core.sdp;

import java.util.List;

/**
 * An ICE candidate (RFC 8839 section 5.1):
 * {@code <foundation> <component> <transport> <priority> <address> <port> typ <type> [raddr <a>] [rport <p>]
 * *(<name> <value>)}. {@code relatedAddress}/{@code relatedPort} are {@code null}/{@code -1} when absent;
 * {@code extensions} holds the trailing name/value tokens in order (e.g. {@code tcptype active generation 0}).
 */
public record Candidate(String foundation, int component, String transport, long priority, String address, int port,
        String type, String relatedAddress, int relatedPort, List<String> extensions) {

    public Candidate {
        extensions = List.copyOf(extensions);
    }

    /**
     * Parses one candidate, written with or without the {@code a=candidate:} or {@code candidate:} prefix (the form
     * trickle ICE and {@code RTCIceCandidate.candidate} use).
     */
    public static Candidate parse(String text) throws SdpParseException {
        if (text == null || text.length() > 1024) {
            throw new SdpParseException(0, "candidate missing or longer than 1024 characters");
        }
        try {
            return AttributeParsers.candidateLine(text.trim(), 0);
        } catch (RuntimeException e) {
            throw new SdpParseException(0, "internal parser failure " + e.getClass().getSimpleName());
        }
    }

    /** The value of extension {@code name} (e.g. {@code tcptype}), or {@code null}. */
    public String extension(String name) {
        for (int i = 0; i + 1 < extensions.size(); i += 2) {
            if (extensions.get(i).equals(name)) {
                return extensions.get(i + 1);
            }
        }
        return null;
    }

    /** The candidate as written after {@code a=candidate:}. */
    public String value() {
        StringBuilder sb = new StringBuilder(96).append(foundation).append(' ').append(component).append(' ')
                .append(transport).append(' ').append(priority).append(' ').append(address).append(' ').append(port)
                .append(" typ ").append(type);
        if (relatedAddress != null) {
            sb.append(" raddr ").append(relatedAddress);
        }
        if (relatedPort >= 0) {
            sb.append(" rport ").append(relatedPort);
        }
        for (String e : extensions) {
            sb.append(' ').append(e);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return value();
    }
}
