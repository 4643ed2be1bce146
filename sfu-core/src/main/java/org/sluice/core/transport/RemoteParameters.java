package org.sluice.core.transport;

import org.sluice.core.dtls.DtlsFingerprint;
import org.sluice.core.dtls.DtlsRole;

/**
 * What the offer told us about the peer's transport.
 *
 * @param ufrag the peer's ice-ufrag
 * @param password the peer's ice-pwd
 * @param fingerprint the certificate fingerprint the peer's DTLS must present
 * @param localRole our DTLS role, from the peer's a=setup
 */
public record RemoteParameters(String ufrag, String password, DtlsFingerprint fingerprint, DtlsRole localRole) {
}
