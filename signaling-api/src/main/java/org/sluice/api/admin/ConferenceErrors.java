package org.sluice.api.admin;

import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import org.sluice.core.conference.ConferenceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps an engine failure to the admin API's status and error code. */
final class ConferenceErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ConferenceErrors.class);

    private ConferenceErrors() {
    }

    static int status(ConferenceException.Code code) {
        return switch (code) {
            case INVALID, BAD_OFFER -> 400;
            case NOT_ALLOWED -> 403;
            case UNKNOWN_ROOM, UNKNOWN_PARTICIPANT, UNKNOWN_TRACK -> 404;
            case ROOM_EXISTS, ROOM_FULL, TOO_MANY_TRACKS, CLOSED, RESUME_FAILED -> 409;
            case UNAVAILABLE -> 503;
        };
    }

    /** Answers {@code cause}: a {@link ConferenceException} by its code, anything else as a logged 500. */
    static void fail(RoutingContext ctx, Throwable cause) {
        if (cause instanceof ConferenceException refused) {
            ApiResponses.error(ctx, status(refused.code()), refused.code().name().toLowerCase(Locale.ROOT),
                    refused.getMessage() == null ? refused.code().name().toLowerCase(Locale.ROOT) : refused.getMessage());
            return;
        }
        LOG.error("unexpected failure on {} {}", ctx.request().method(), ctx.normalizedPath(), cause);
        ApiResponses.error(ctx, 500, "internal", "internal server error");
    }
}
