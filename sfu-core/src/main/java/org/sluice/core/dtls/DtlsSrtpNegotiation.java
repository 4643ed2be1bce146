package org.sluice.core.dtls;

import java.io.IOException;
import java.util.List;
import java.util.function.IntConsumer;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.sluice.rtp.srtp.SrtpProfile;

/**
 * The WebRTC-specific decisions of one handshake, shared by {@link SrtpDtlsServer} and
 * {@link SrtpDtlsClient}: checking the peer certificate against the SDP fingerprint, negotiating
 * the use_srtp extension (RFC 5764 §4.1), exporting the SRTP keys (RFC 5764 §4.2), and recording
 * why a handshake failed and which alerts arrived. Written by the thread running the engine, read
 * by others after the engine returns (fields are volatile).
 */
final class DtlsSrtpNegotiation {

    private final DtlsRole role;
    private final DtlsCertificate local;
    private final DtlsFingerprint expectedRemote;
    private final List<SrtpProfile> preference;
    private final HandshakeDeadline deadline;
    private final int initialRetransmitMillis;
    private final IntConsumer minimumProtectedRecordLength;

    private volatile SrtpProfile selectedProfile;
    private volatile DtlsEndpoint.SrtpKeyMaterial keys;
    private volatile String failureReason;
    private volatile boolean fatalAlertReceived;
    private volatile short fatalAlertDescription = -1;
    private volatile boolean closeNotifyReceived;

    DtlsSrtpNegotiation(DtlsRole role, DtlsCertificate local, DtlsFingerprint expectedRemote,
                        List<SrtpProfile> preference, HandshakeDeadline deadline, int initialRetransmitMillis,
                        IntConsumer minimumProtectedRecordLength) {
        this.role = role;
        this.local = local;
        this.expectedRemote = expectedRemote;
        this.preference = preference;
        this.deadline = deadline;
        this.initialRetransmitMillis = initialRetransmitMillis;
        this.minimumProtectedRecordLength = minimumProtectedRecordLength;
    }

    /** Tightens the inbound record filter to the selected suite's nonce and tag size. */
    void cipherSuiteSelected(int cipherSuite) {
        minimumProtectedRecordLength.accept(DtlsCipherSuites.minimumProtectedRecordLength(cipherSuite));
    }

    BcTlsCrypto crypto() {
        return local.crypto();
    }

    DtlsCertificate local() {
        return local;
    }

    int handshakeTimeoutMillis() {
        return Math.max(1, deadline.remainingMillis());
    }

    int initialRetransmitMillis() {
        return initialRetransmitMillis;
    }

    /** Accepts the peer's chain only when its end-entity certificate hashes to the SDP fingerprint. */
    void verifyPeerCertificate(Certificate chain) throws IOException {
        if (chain == null || chain.isEmpty()) {
            throw fail(DtlsEndpoint.REASON_NO_PEER_CERTIFICATE, AlertDescription.handshake_failure);
        }
        byte[] der = chain.getCertificateAt(0).getEncoded();
        if (!expectedRemote.matches(der)) {
            throw fail(DtlsEndpoint.REASON_FINGERPRINT_MISMATCH, AlertDescription.bad_certificate);
        }
    }

    /** The use_srtp extension a client sends: every profile, in preference order, no MKI. */
    UseSRTPData clientOffer() {
        int[] ids = new int[preference.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = preference.get(i).protectionProfileId();
        }
        return new UseSRTPData(ids, TlsUtils.EMPTY_BYTES);
    }

    /** As server: picks our most preferred profile among those the client offers. */
    void selectAsServer(UseSRTPData offered) throws IOException {
        if (offered != null) {
            int[] ids = offered.getProtectionProfiles();
            for (SrtpProfile candidate : preference) {
                for (int id : ids) {
                    if (id == candidate.protectionProfileId()) {
                        selectedProfile = candidate;
                        return;
                    }
                }
            }
        }
        throw fail(DtlsEndpoint.REASON_NO_SRTP_PROFILE, AlertDescription.handshake_failure);
    }

    /** The use_srtp extension of the ServerHello: the selected profile, no MKI. */
    UseSRTPData serverSelection() {
        return new UseSRTPData(new int[] {selectedProfile.protectionProfileId()}, TlsUtils.EMPTY_BYTES);
    }

    /** As client: the server must select exactly one profile, and one we offered (RFC 5764 §4.1.3). */
    void acceptServerSelection(UseSRTPData selection) throws IOException {
        if (selection == null) {
            throw fail(DtlsEndpoint.REASON_NO_SRTP_PROFILE, AlertDescription.handshake_failure);
        }
        int[] ids = selection.getProtectionProfiles();
        SrtpProfile profile = ids.length == 1 ? SrtpProfile.fromProtectionProfileId(ids[0]) : null;
        if (profile == null || !preference.contains(profile)) {
            throw fail(DtlsEndpoint.REASON_NO_SRTP_PROFILE, AlertDescription.illegal_parameter);
        }
        selectedProfile = profile;
    }

    /** Exports the SRTP master keys and salts once the handshake is complete. */
    void exportKeys(TlsContext context) throws IOException {
        SrtpProfile profile = selectedProfile;
        if (profile == null) {
            throw fail(DtlsEndpoint.REASON_NO_SRTP_PROFILE, AlertDescription.handshake_failure);
        }
        int length = 2 * (profile.masterKeyLength() + profile.masterSaltLength());
        byte[] material = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, length);
        keys = DtlsEndpoint.SrtpKeyMaterial.fromExporter(profile, role, material);
    }

    void alertReceived(short level, short description) {
        if (description == AlertDescription.close_notify) {
            closeNotifyReceived = true;
        } else if (level == AlertLevel.fatal) {
            fatalAlertDescription = description;
            fatalAlertReceived = true;
        }
    }

    DtlsEndpoint.SrtpKeyMaterial keys() {
        return keys;
    }

    SrtpProfile selectedProfile() {
        return selectedProfile;
    }

    /** Our own reason for aborting (fingerprint, certificate, SRTP profile), or null. */
    String failureReason() {
        return failureReason;
    }

    boolean fatalAlertReceived() {
        return fatalAlertReceived;
    }

    /** The description of the fatal alert the peer sent, or -1. */
    short fatalAlertDescription() {
        return fatalAlertDescription;
    }

    boolean closeNotifyReceived() {
        return closeNotifyReceived;
    }

    private TlsFatalAlert fail(String reason, short alert) {
        failureReason = reason;
        return new TlsFatalAlert(alert, reason);
    }
}
