package org.sluice.core.dtls;

/**
 * Which side of the DTLS handshake this endpoint plays, derived from the SDP {@code a=setup}
 * attribute (RFC 5763 §5): {@code active} sends the ClientHello (CLIENT), {@code passive} waits for
 * it (SERVER).
 */
public enum DtlsRole {
    /** Sends the ClientHello ({@code a=setup:active}). */
    CLIENT,
    /** Answers the ClientHello ({@code a=setup:passive}). */
    SERVER
}
