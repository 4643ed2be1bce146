package org.sluice.api.conference;

/**
 * Finds the client's token in a WebSocket upgrade: the {@code access_token} query parameter, or a
 * {@code bearer.<jwt>} entry in {@code Sec-WebSocket-Protocol} (browsers cannot set headers on a WebSocket).
 */
final class SocketToken {

    private static final String PREFIX = "bearer.";

    private SocketToken() {
    }

    /** The token, or {@code null} if the client sent none. */
    static String find(String queryParameter, String subprotocolHeader) {
        if (queryParameter != null && !queryParameter.isEmpty()) {
            return queryParameter;
        }
        if (subprotocolHeader == null) {
            return null;
        }
        for (String entry : subprotocolHeader.split(",", 16)) {
            String protocol = entry.strip();
            if (protocol.length() > PREFIX.length() && protocol.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
                return protocol.substring(PREFIX.length());
            }
        }
        return null;
    }
}
