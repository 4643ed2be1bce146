package org.sluice.core.sdp;

/** The {@code o=} line: {@code <username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>}. */
public record Origin(String username, String sessionId, String sessionVersion, String netType, String addressType,
        String address) {

    @Override
    public String toString() {
        return username + " " + sessionId + " " + sessionVersion + " " + netType + " " + addressType + " " + address;
    }
}
