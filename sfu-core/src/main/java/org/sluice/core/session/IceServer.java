package org.sluice.core.session;

/** A STUN or TURN server for clients, as advertised in WHIP/WHEP {@code Link} headers. */
public record IceServer(String url, String username, String credential) {
}
