package org.sluice.rtp.srtp;

import java.util.Locale;

/**
 * The AES-GCM implementation behind the AEAD profiles (RFC 7714), chosen once per JVM at first use:
 * <ul>
 * <li>{@code openssl}: OpenSSL's libcrypto through the FFM API ({@link OpenSslGcmCipher}), where the JVM is 22 or
 *     later, the library loads and it passes an RFC 7714 known-answer check. Keyed once per session; nothing is
 *     allocated per packet.</li>
 * <li>{@code jce}: the JDK's {@code AES/GCM/NoPadding} ({@link AesGcmCipher}) everywhere else. SunJCE re-keys and
 *     allocates about 1 KB inside every {@code Cipher.init}, that is per packet.</li>
 * </ul>
 * The system property {@value #PROPERTY} ({@code auto}, the default; {@code openssl}; {@code jce}) overrides the
 * choice; asking for {@code openssl} where it cannot load falls back to the JCE, and {@link #description()} says
 * why. Both produce identical bytes (the same RFC vectors and cross-checks run against each).
 */
public final class GcmBackend {

    /** The system property that picks the backend: {@code auto}, {@code openssl} or {@code jce}. */
    public static final String PROPERTY = "sluice.srtp.gcm";

    private static final GcmBackend JCE_ONLY = new GcmBackend(null, "JCE AES/GCM/NoPadding (asked for with -D"
            + PROPERTY + "=jce)");

    private final OpenSslGcm openSsl;
    private final String description;

    private GcmBackend(OpenSslGcm openSsl, String description) {
        this.openSsl = openSsl;
        this.description = description;
    }

    /** The backend the SRTP sessions of this JVM use. */
    public static GcmBackend selected() {
        return Selected.BACKEND;
    }

    /** {@code openssl} or {@code jce}. */
    public String name() {
        return openSsl != null ? "openssl" : "jce";
    }

    /** Whether packets are sealed by OpenSSL (no per-packet garbage) rather than the JCE. */
    public boolean isOpenSsl() {
        return openSsl != null;
    }

    /** One line for the log: the implementation and version, or for the JCE why OpenSSL is not used. */
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return name() + ": " + description;
    }

    /** A cipher for one direction's session keys. */
    PacketCipher cipher(SrtpKeyDerivation.SessionKeys keys) {
        return openSsl != null ? new OpenSslGcmCipher(keys, openSsl) : new AesGcmCipher(keys);
    }

    /** The JCE backend. */
    static GcmBackend jce() {
        return JCE_ONLY;
    }

    /** The OpenSSL backend, or null with the reason in {@link OpenSslGcm.Loaded#unavailable()}. */
    static OpenSslGcm.Loaded loadOpenSsl() {
        return Loading.LOADED;
    }

    /** The OpenSSL backend where it loads, else null. */
    static GcmBackend openSsl() {
        OpenSslGcm gcm = Loading.LOADED.gcm();
        return gcm == null ? null : new GcmBackend(gcm, gcm.describe());
    }

    static GcmBackend choose(String requested) {
        String asked = requested == null ? "auto" : requested.trim().toLowerCase(Locale.ROOT);
        if (asked.equals("jce")) {
            return JCE_ONLY;
        }
        OpenSslGcm.Loaded loaded = Loading.LOADED;
        if (loaded.gcm() != null) {
            return new GcmBackend(loaded.gcm(), loaded.gcm().describe());
        }
        String why = asked.equals("openssl") || asked.equals("auto") ? "" : " (unknown -D" + PROPERTY + "=" + asked
                + ", so auto)";
        return new GcmBackend(null, "JCE AES/GCM/NoPadding, Java " + Runtime.version().feature()
                + "; OpenSSL not used: " + loaded.unavailable() + why);
    }

    /** Loads libcrypto once, on first need. */
    private static final class Loading {
        static final OpenSslGcm.Loaded LOADED = OpenSslGcm.load();
    }

    /** The JVM's choice, made on first use. */
    private static final class Selected {
        static final GcmBackend BACKEND = choose(System.getProperty(PROPERTY, "auto"));
    }
}
