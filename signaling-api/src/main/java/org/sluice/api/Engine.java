package org.sluice.api;

import org.sluice.core.session.SessionService;

/**
 * A running media engine: the sessions it serves and how to stop it.
 *
 * @param sessions what the HTTP layer calls
 * @param shutdown releases the engine's sockets and threads
 */
public record Engine(SessionService sessions, AutoCloseable shutdown) {
}
