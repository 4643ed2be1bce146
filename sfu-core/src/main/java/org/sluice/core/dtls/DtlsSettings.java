package org.sluice.core.dtls;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

import org.sluice.rtp.srtp.SrtpProfile;

/**
 * Tunables of a {@link DtlsEndpoint}. Immutable; start from {@link #defaults()} and change fields
 * with the {@code with…} methods.
 *
 * @param handshakeTimeout        from {@link DtlsEndpoint#start()} to CONNECTED, waiting in the executor queue included
 * @param mtu                     largest datagram we send (handshake messages are fragmented to fit)
 * @param srtpProfiles            SRTP protection profiles in preference order (offered as client,
 *                                picked from as server), not empty
 * @param initialRetransmitMillis first handshake retransmission timer (RFC 6347 §4.2.4.1 suggests 1 s),
 *                                doubled on each retry up to 60 s
 * @param inboundQueueCapacity    datagrams buffered for the TLS engine; more are dropped
 * @param nanoTime                monotonic clock for the handshake deadline and duration
 */
public record DtlsSettings(Duration handshakeTimeout, int mtu, List<SrtpProfile> srtpProfiles,
                           int initialRetransmitMillis, int inboundQueueCapacity, LongSupplier nanoTime) {

    /** AEAD_AES_128_GCM, AEAD_AES_256_GCM, AES_CM_128_HMAC_SHA1_80. */
    public static final List<SrtpProfile> DEFAULT_PROFILES = List.of(
            SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AEAD_AES_256_GCM, SrtpProfile.AES_CM_128_HMAC_SHA1_80);

    /** The smallest MTU that still fits a DTLS record with a useful handshake fragment. */
    public static final int MIN_MTU = 256;

    public DtlsSettings {
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(nanoTime, "nanoTime");
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive");
        }
        if (mtu < MIN_MTU || mtu > 65_507) {
            throw new IllegalArgumentException("mtu out of range: " + mtu);
        }
        srtpProfiles = List.copyOf(srtpProfiles);
        if (srtpProfiles.isEmpty()) {
            throw new IllegalArgumentException("srtpProfiles is empty");
        }
        if (srtpProfiles.stream().distinct().count() != srtpProfiles.size()) {
            throw new IllegalArgumentException("srtpProfiles has duplicates");
        }
        if (initialRetransmitMillis < 1) {
            throw new IllegalArgumentException("initialRetransmitMillis must be positive");
        }
        if (inboundQueueCapacity < 1) {
            throw new IllegalArgumentException("inboundQueueCapacity must be positive");
        }
    }

    /** 10 s handshake timeout, MTU 1200, {@link #DEFAULT_PROFILES}, 1 s first retransmission, 256 queued datagrams. */
    public static DtlsSettings defaults() {
        return new DtlsSettings(Duration.ofSeconds(10), 1200, DEFAULT_PROFILES, 1000, 256, System::nanoTime);
    }

    public DtlsSettings withHandshakeTimeout(Duration timeout) {
        return new DtlsSettings(timeout, mtu, srtpProfiles, initialRetransmitMillis, inboundQueueCapacity, nanoTime);
    }

    public DtlsSettings withMtu(int newMtu) {
        return new DtlsSettings(handshakeTimeout, newMtu, srtpProfiles, initialRetransmitMillis, inboundQueueCapacity,
                nanoTime);
    }

    public DtlsSettings withSrtpProfiles(List<SrtpProfile> profiles) {
        return new DtlsSettings(handshakeTimeout, mtu, profiles, initialRetransmitMillis, inboundQueueCapacity,
                nanoTime);
    }

    public DtlsSettings withInitialRetransmitMillis(int millis) {
        return new DtlsSettings(handshakeTimeout, mtu, srtpProfiles, millis, inboundQueueCapacity, nanoTime);
    }

    public DtlsSettings withInboundQueueCapacity(int capacity) {
        return new DtlsSettings(handshakeTimeout, mtu, srtpProfiles, initialRetransmitMillis, capacity, nanoTime);
    }

    public DtlsSettings withNanoTime(LongSupplier clock) {
        return new DtlsSettings(handshakeTimeout, mtu, srtpProfiles, initialRetransmitMillis, inboundQueueCapacity,
                clock);
    }

    /**
     * Largest datagram accepted from the peer: at least a standard Ethernet payload, since the
     * peer's MTU may be larger than ours.
     */
    int receiveLimit() {
        return Math.max(mtu, 1500);
    }
}
