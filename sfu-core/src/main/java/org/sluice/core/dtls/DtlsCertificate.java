package org.sluice.core.dtls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;

import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.bc.BcX509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The local DTLS identity: an ECDSA P-256 key pair and a self-signed X.509 certificate, generated
 * once per server process and shared by every {@link DtlsEndpoint} (WebRTC authenticates the
 * certificate by the fingerprint in SDP, not by a CA, RFC 8827 §6.5).
 *
 * <p>The certificate has a random 64-bit serial number, a short common name and a validity of
 * one day in the past (tolerates peers with skewed clocks) to {@link #DEFAULT_VALIDITY} ahead.
 * Its SHA-256 fingerprint is what the SDP answer advertises ({@link #sdpFingerprint()}).
 *
 * <p>Immutable and thread-safe. It also carries the Bouncy Castle {@link BcTlsCrypto} the
 * endpoints use (stateless apart from its thread-safe {@link SecureRandom}).
 */
public final class DtlsCertificate {

    /** Default lifetime from generation; a process running longer should generate a new one. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(30);

    private static final Duration BACKDATE = Duration.ofDays(1);
    private static final String COMMON_NAME_PREFIX = "CN=sluice-";

    private final BcTlsCrypto crypto;
    private final AsymmetricKeyParameter privateKey;
    private final byte[] der;
    private final Certificate tlsCertificate;
    private final DtlsFingerprint fingerprint;
    private final Instant notBefore;
    private final Instant notAfter;

    private DtlsCertificate(BcTlsCrypto crypto, AsymmetricKeyParameter privateKey, byte[] der,
                            Instant notBefore, Instant notAfter) throws IOException {
        this.crypto = crypto;
        this.privateKey = privateKey;
        this.der = der;
        this.tlsCertificate = new Certificate(new TlsCertificate[] {new BcTlsCertificate(crypto, der)});
        this.fingerprint = DtlsFingerprint.of(DtlsFingerprint.Algorithm.SHA_256, der);
        this.notBefore = notBefore;
        this.notAfter = notAfter;
    }

    /** Generates a new identity valid from now minus one day to now plus {@link #DEFAULT_VALIDITY}. */
    public static DtlsCertificate generate() {
        return generate(new SecureRandom(), Clock.systemUTC(), DEFAULT_VALIDITY);
    }

    /**
     * Generates a new ECDSA P-256 identity.
     *
     * @param random   source of the key, serial number and all later handshake randomness
     * @param clock    the wall clock the validity period starts from
     * @param validity how long after now the certificate stays valid
     */
    public static DtlsCertificate generate(SecureRandom random, Clock clock, Duration validity) {
        try {
            X9ECParameters curve = ECNamedCurveTable.getByName("P-256");
            ECNamedDomainParameters domain = new ECNamedDomainParameters(SECObjectIdentifiers.secp256r1, curve);
            ECKeyPairGenerator generator = new ECKeyPairGenerator();
            generator.init(new ECKeyGenerationParameters(domain, random));
            AsymmetricCipherKeyPair keyPair = generator.generateKeyPair();

            byte[] nameBytes = new byte[4];
            random.nextBytes(nameBytes);
            X500Name name = new X500Name(COMMON_NAME_PREFIX + HexFormat.of().formatHex(nameBytes));
            BigInteger serial = new BigInteger(63, random).add(BigInteger.ONE);
            Instant now = clock.instant();
            Instant notBefore = now.minus(BACKDATE);
            Instant notAfter = now.plus(validity);

            BcX509v3CertificateBuilder builder = new BcX509v3CertificateBuilder(
                    name, serial, Date.from(notBefore), Date.from(notAfter), name, keyPair.getPublic());
            AlgorithmIdentifier signatureAlgorithm =
                    new DefaultSignatureAlgorithmIdentifierFinder().find("SHA256withECDSA");
            AlgorithmIdentifier digestAlgorithm =
                    new DefaultDigestAlgorithmIdentifierFinder().find(signatureAlgorithm);
            X509CertificateHolder holder = builder.build(
                    new BcECContentSignerBuilder(signatureAlgorithm, digestAlgorithm).build(keyPair.getPrivate()));
            return new DtlsCertificate(new BcTlsCrypto(random), keyPair.getPrivate(), holder.getEncoded(),
                    notBefore, notAfter);
        } catch (IOException e) {
            throw new UncheckedIOException("certificate encoding failed", e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("ECDSA signer unavailable", e);
        }
    }

    /** The SHA-256 fingerprint of the certificate. */
    public DtlsFingerprint fingerprint() {
        return fingerprint;
    }

    /** The {@code a=fingerprint} value: {@code "sha-256 AB:CD:..."}. */
    public String sdpFingerprint() {
        return fingerprint.toSdp();
    }

    /** A copy of the DER encoding of the certificate. */
    public byte[] derEncoded() {
        return der.clone();
    }

    public Instant notBefore() {
        return notBefore;
    }

    public Instant notAfter() {
        return notAfter;
    }

    BcTlsCrypto crypto() {
        return crypto;
    }

    /** ECDSA/SHA-256 signing credentials for one handshake. */
    TlsCredentialedSigner signer(TlsContext context) {
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, privateKey,
                tlsCertificate, new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }
}
