package org.sluice.api.http;

import org.sluice.core.session.IceServer;

/** {@code Link: <url>; rel="ice-server"} values for STUN/TURN servers (RFC 9725 §4.6). */
final class LinkHeaders {

    private LinkHeaders() {
    }

    static String iceServer(IceServer server) {
        StringBuilder link = new StringBuilder().append('<').append(server.url()).append(">; rel=\"ice-server\"");
        if (server.username() != null && !server.username().isEmpty()) {
            link.append("; username=\"").append(server.username()).append('"')
                    .append("; credential=\"").append(server.credential() == null ? "" : server.credential()).append('"')
                    .append("; credential-type=\"password\"");
        }
        return link.toString();
    }
}
