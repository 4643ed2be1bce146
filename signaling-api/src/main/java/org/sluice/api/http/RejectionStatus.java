package org.sluice.api.http;

import org.sluice.core.session.OfferRejectedException;

/** The HTTP status for each reason the engine refuses an offer. */
final class RejectionStatus {

    private RejectionStatus() {
    }

    static int of(OfferRejectedException.Reason reason) {
        return switch (reason) {
            case MALFORMED_SDP, UNSUPPORTED_OFFER -> 400;
            case NO_COMMON_CODEC -> 406;
            case CONFLICT -> 409;
            case UNAVAILABLE -> 503;
        };
    }
}
