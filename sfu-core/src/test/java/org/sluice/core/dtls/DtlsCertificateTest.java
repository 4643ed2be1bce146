package org.sluice.core.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class DtlsCertificateTest {

    private static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");

    private static X509Certificate parse(DtlsCertificate certificate) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificate.derEncoded()));
    }

    @Test
    void isASelfSignedEcdsaP256CertificateTheJdkAccepts() throws Exception {
        DtlsCertificate certificate = DtlsCertificate.generate(new SecureRandom(), Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ofDays(30));
        X509Certificate x509 = parse(certificate);

        assertThat(x509.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(x509.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(((ECPublicKey) x509.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        x509.verify(x509.getPublicKey()); // self-signed, signature valid
        assertThat(x509.getSubjectX500Principal()).isEqualTo(x509.getIssuerX500Principal());
        assertThat(x509.getSubjectX500Principal().getName()).matches("CN=sluice-[0-9a-f]{8}");
        assertThat(x509.getSerialNumber().signum()).isPositive();
        assertThat(x509.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofDays(1)));
        assertThat(x509.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(30)));
        assertThat(certificate.notBefore()).isEqualTo(NOW.minus(Duration.ofDays(1)));
        assertThat(certificate.notAfter()).isEqualTo(NOW.plus(Duration.ofDays(30)));
        x509.checkValidity(java.util.Date.from(NOW));
    }

    @Test
    void fingerprintIsSha256OfTheDerInSdpForm() throws Exception {
        DtlsCertificate certificate = DtlsCertificate.generate();
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(certificate.derEncoded());

        assertThat(certificate.fingerprint().algorithm()).isEqualTo(DtlsFingerprint.Algorithm.SHA_256);
        assertThat(certificate.fingerprint().digest()).isEqualTo(expected);
        assertThat(certificate.sdpFingerprint()).matches("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(DtlsFingerprint.parse(certificate.sdpFingerprint()).matches(certificate.derEncoded())).isTrue();
    }

    @Test
    void eachGenerationIsANewIdentity() throws Exception {
        DtlsCertificate first = DtlsCertificate.generate();
        DtlsCertificate second = DtlsCertificate.generate();

        assertThat(parse(first).getSerialNumber()).isNotEqualTo(parse(second).getSerialNumber());
        assertThat(parse(first).getPublicKey()).isNotEqualTo(parse(second).getPublicKey());
        assertThat(first.fingerprint()).isNotEqualTo(second.fingerprint());
    }

    @Test
    void derEncodingIsDefensivelyCopied() {
        DtlsCertificate certificate = DtlsCertificate.generate();
        byte[] der = certificate.derEncoded();
        der[0] ^= 0x7F;

        assertThat(certificate.derEncoded()).isNotEqualTo(der);
        assertThat(certificate.fingerprint().matches(certificate.derEncoded())).isTrue();
    }
}
