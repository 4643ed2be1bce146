package org.sluice.api;

import io.micrometer.core.instrument.binder.MeterBinder;
import org.sluice.api.shutdown.Drainable;
import org.sluice.core.conference.ConferenceService;
import org.sluice.core.session.SessionService;

/**
 * A running media engine: the sessions it serves, how to stop it, its meters and how to drain it.
 *
 * @param sessions    what the WHIP/WHEP routes call
 * @param conferences what the conferencing WebSocket and admin routes call, or {@code null} for none
 * @param shutdown releases the engine's sockets and threads
 * @param metrics  the engine's meters, or {@code null} when it has none
 * @param drain    stops admitting sessions and counts the live ones
 */
public record Engine(SessionService sessions, ConferenceService conferences, AutoCloseable shutdown, MeterBinder metrics,
                     Drainable drain) {

    /** An engine without meters and with nothing to drain. */
    public Engine(SessionService sessions, AutoCloseable shutdown) {
        this(sessions, null, shutdown, null, Drainable.NONE);
    }
}
