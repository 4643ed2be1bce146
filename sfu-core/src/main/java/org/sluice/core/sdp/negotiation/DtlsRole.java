package org.sluice.core.sdp.negotiation;

/** Our side of the DTLS handshake as the answer decided it: CLIENT sends the ClientHello, SERVER waits for it. */
public enum DtlsRole {
    CLIENT, SERVER
}
