package org.sluice.core.ice;

import io.netty.buffer.ByteBuf;
import org.sluice.core.stun.IntegrityCheck;
import org.sluice.core.stun.StunAttribute;
import org.sluice.core.stun.StunFingerprint;
import org.sluice.core.stun.StunMessage;
import org.sluice.core.stun.StunMessageType;
import org.sluice.core.stun.StunMessageWriter;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The ICE-lite agent of one transport (RFC 8445 §2.5, §6.1.3.1, §7.3): it never sends checks,
 * always plays the controlled role, answers the peer's Binding requests, records the pairs they
 * validate, and takes the pair the peer nominates (USE-CANDIDATE) as the selected pair. Consent
 * freshness (RFC 7675) is tracked from the time of the last valid check.
 *
 * <p>Handling a request: a Binding request with a FINGERPRINT that does not match is dropped
 * ({@link IceCheckOutcome#IGNORED}); without USERNAME or MESSAGE-INTEGRITY it gets 400
 * (RFC 8489 §9.1.3); with a USERNAME other than "localUfrag:remoteUfrag" (any remote part while
 * that is unknown) or a wrong MESSAGE-INTEGRITY it gets 401; a request carrying ICE-CONTROLLED
 * gets 487, because a lite agent cannot take the controlling role, so it acts as if its
 * tie-breaker always won (RFC 8445 §7.3.1.1); otherwise it gets a success response with
 * XOR-MAPPED-ADDRESS = the source address, signed like the request, with FINGERPRINT.
 *
 * <p>ICE restart (RFC 8445 §9): {@link #restart} makes new local credentials and takes the peer's
 * new ones; checks with the previous generation are still answered (and keep the selected pair)
 * until a check with the new generation succeeds.
 *
 * <p>Thread confinement: every method must be called on the transport's event loop (the control
 * plane posts {@code restart}/{@code setRemoteCredentials} there). No locks; no allocation per
 * check beyond the address bytes of XOR-MAPPED-ADDRESS and a pair record for a new address.
 */
public final class IceLiteAgent {

    /** RFC 7675 §5.1: consent expires 30 seconds after the last successful check. */
    public static final Duration DEFAULT_CONSENT_TIMEOUT = Duration.ofSeconds(30);
    /** Pairs remembered as valid at once. */
    public static final int DEFAULT_MAX_VALID_PAIRS = 8;
    /** Room a response needs in the output buffer (header, address, both integrities, error text, fingerprint). */
    static final int MAX_RESPONSE_BYTES = 192;

    static final String REASON_BAD_REQUEST = "Bad Request";
    static final String REASON_UNAUTHENTICATED = "Unauthenticated";
    static final String REASON_ROLE_CONFLICT = "Role Conflict";

    private final SecureRandom random;
    private final LongSupplier nanoClock;
    private final IceAgentListener listener;
    private final long consentTimeoutNanos;
    private final ValidPairs validPairs;
    private final StunMessageWriter writer = new StunMessageWriter();
    private final StunFingerprint fingerprint = new StunFingerprint();

    private CredentialGeneration current;
    private CredentialGeneration previous;
    private ValidPairs.Entry selected;
    private long lastValidCheckNanos;
    private boolean consentExpiryReported;

    /** An agent with the default consent timeout (30 s) and pair bound. */
    public IceLiteAgent(SecureRandom random, LongSupplier nanoClock, IceAgentListener listener) {
        this(random, nanoClock, listener, DEFAULT_CONSENT_TIMEOUT, DEFAULT_MAX_VALID_PAIRS);
    }

    /**
     * @param random         source of local credentials
     * @param nanoClock      monotonic nanoseconds (e.g. {@code System::nanoTime}); consent is measured
     *                       from construction until the first valid check
     * @param listener       notified of validations, selection changes, consent expiry, restarts
     * @param consentTimeout time without a valid check after which consent is lost
     * @param maxValidPairs  bound on remembered valid pairs (at least 2)
     */
    public IceLiteAgent(SecureRandom random, LongSupplier nanoClock, IceAgentListener listener,
                        Duration consentTimeout, int maxValidPairs) {
        this(random, nanoClock, listener, consentTimeout, maxValidPairs, IceCredentials.generate(random));
    }

    /** With given initial local credentials: for tests against published vectors. */
    IceLiteAgent(SecureRandom random, LongSupplier nanoClock, IceAgentListener listener,
                 Duration consentTimeout, int maxValidPairs, IceCredentials initialLocal) {
        this.random = Objects.requireNonNull(random, "random");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.consentTimeoutNanos = consentTimeout.toNanos();
        if (consentTimeoutNanos <= 0) {
            throw new IllegalArgumentException("consent timeout must be positive");
        }
        this.validPairs = new ValidPairs(maxValidPairs);
        this.current = new CredentialGeneration(initialLocal, null);
        this.lastValidCheckNanos = nanoClock.getAsLong();
    }

    /** Our current ufrag and pwd, for the answer SDP. */
    public IceCredentials localCredentials() {
        return current.local();
    }

    /** The peer's current credentials, or null while unknown. */
    public IceCredentials remoteCredentials() {
        return current.remote();
    }

    /** Sets the peer's credentials of the current generation (from the offer). */
    public void setRemoteCredentials(IceCredentials remote) {
        current.setRemote(Objects.requireNonNull(remote, "remote"));
    }

    /**
     * ICE restart: new local credentials, and the peer's new credentials ({@code newRemote}, or null
     * if not yet known). The previous generation keeps working until a check with the new one
     * succeeds. Returns the new local credentials.
     */
    public IceCredentials restart(IceCredentials newRemote) {
        if (previous == null || current.validated()) {
            previous = current;
        }
        current = new CredentialGeneration(IceCredentials.generate(random), newRemote);
        return current.local();
    }

    /** Whether a restart is waiting for its first successful check. */
    public boolean restartPending() {
        return previous != null;
    }

    /**
     * Handles one STUN message received from {@code from} over {@code kind}; writes the response
     * (if any) at {@code responseOut}'s writer index. Never throws for any message content.
     */
    public IceCheckOutcome handleRequest(StunMessage request, InetSocketAddress from, TransportKind kind,
                                         ByteBuf responseOut) {
        if (request == null || !request.isValid() || from == null || from.getAddress() == null || kind == null
                || responseOut == null || responseOut.maxWritableBytes() < MAX_RESPONSE_BYTES) {
            return IceCheckOutcome.IGNORED;
        }
        if (request.messageClass() != StunMessageType.CLASS_REQUEST) {
            return IceCheckOutcome.IGNORED;
        }
        if (request.fingerprintPosition() >= 0 && !fingerprint.verify(request)) {
            return IceCheckOutcome.IGNORED;
        }
        if (request.method() != StunMessageType.METHOD_BINDING
                || request.find(StunAttribute.USERNAME) < 0
                || (request.messageIntegrityPosition() < 0 && request.messageIntegritySha256Position() < 0)) {
            writer.errorResponse(responseOut, request, 400, REASON_BAD_REQUEST, null);
            return IceCheckOutcome.REJECTED_400;
        }
        CredentialGeneration generation = authenticate(request);
        if (generation == null) {
            writer.errorResponse(responseOut, request, 401, REASON_UNAUTHENTICATED, null);
            return IceCheckOutcome.REJECTED_401;
        }
        if (request.find(StunAttribute.ICE_CONTROLLED) >= 0) {
            writer.errorResponse(responseOut, request, 487, REASON_ROLE_CONFLICT, generation.integrity());
            return IceCheckOutcome.ROLE_CONFLICT;
        }
        writer.bindingSuccess(responseOut, request, from, generation.integrity());
        return recordValidCheck(generation, from, kind, request.find(StunAttribute.USE_CANDIDATE) >= 0);
    }

    private CredentialGeneration authenticate(StunMessage request) {
        if (current.usernameMatches(request)) {
            return current.integrity().verify(request) == IntegrityCheck.VALID ? current : null;
        }
        if (previous != null && previous.usernameMatches(request)) {
            return previous.integrity().verify(request) == IntegrityCheck.VALID ? previous : null;
        }
        return null;
    }

    private IceCheckOutcome recordValidCheck(CredentialGeneration generation, InetSocketAddress from,
                                             TransportKind kind, boolean useCandidate) {
        long now = nanoClock.getAsLong();
        generation.markValidated();
        ValidPairs.Entry entry = validPairs.find(from, kind);
        boolean newPair = entry == null;
        if (newPair) {
            entry = validPairs.add(new IcePair(from, kind), now, selected);
        } else {
            entry.lastCheckNanos = now;
        }
        lastValidCheckNanos = now;
        boolean restartDone = generation == current && previous != null;
        if (restartDone) {
            previous = null;
            validPairs.retainOnly(selected, entry);
        }
        if (newPair) {
            listener.pairValidated(entry.pair);
        }
        if (restartDone) {
            listener.restartCompleted();
        }
        if (!useCandidate) {
            return IceCheckOutcome.VALID;
        }
        if (selected != entry) {
            IcePair old = selected == null ? null : selected.pair;
            selected = entry;
            listener.selectedPairChanged(old, entry.pair);
        }
        return IceCheckOutcome.NOMINATED;
    }

    /** The nominated pair media flows on, or null before any nomination. */
    public IcePair selectedPair() {
        return selected == null ? null : selected.pair;
    }

    /** Whether {@code remote} over {@code kind} answered a valid check (media from it may be accepted). */
    public boolean isValidPair(InetSocketAddress remote, TransportKind kind) {
        return remote != null && validPairs.find(remote, kind) != null;
    }

    /** The valid pairs, as an immutable snapshot (allocates). */
    public List<IcePair> validPairs() {
        return validPairs.snapshot();
    }

    /**
     * When the last valid check that counts for consent arrived: the selected pair's if there is
     * one, otherwise any pair's; the agent's creation time before any valid check.
     */
    public long lastValidCheckNanos() {
        return selected != null ? selected.lastCheckNanos : lastValidCheckNanos;
    }

    /** How long consent lasts after the last proof that the peer is there. */
    public long consentTimeoutNanos() {
        return consentTimeoutNanos;
    }

    /** True when no valid check for consent arrived for the consent timeout (inclusive). */
    public boolean consentExpired(long nowNanos) {
        return nowNanos - lastValidCheckNanos() >= consentTimeoutNanos;
    }

    /**
     * As {@link #consentExpired(long)}, and tells the listener the first time consent is found
     * expired (again after a new valid check refreshed it). Call it from the transport's timer.
     */
    public boolean checkConsent(long nowNanos) {
        boolean expired = consentExpired(nowNanos);
        if (!expired) {
            consentExpiryReported = false;
        } else if (!consentExpiryReported) {
            consentExpiryReported = true;
            listener.consentExpired(selectedPair());
        }
        return expired;
    }
}
