package org.sluice.core.ice;

/**
 * Callbacks from an {@link IceLiteAgent} to its transport, invoked on the thread that drives the
 * agent (the transport's event loop), synchronously from {@code handleRequest} or
 * {@code checkConsent}. All methods default to doing nothing.
 */
public interface IceAgentListener {

    /** A pair answered a valid check for the first time. */
    default void pairValidated(IcePair pair) {
    }

    /** The selected pair changed through a nomination; {@code previous} may be null. */
    default void selectedPairChanged(IcePair previous, IcePair selected) {
    }

    /** No valid check refreshed consent within the timeout (RFC 7675 §5.1); fired once per expiry. */
    default void consentExpired(IcePair selected) {
    }

    /** A check with the credentials of the latest ICE restart succeeded; the old ones are dropped. */
    default void restartCompleted() {
    }
}
