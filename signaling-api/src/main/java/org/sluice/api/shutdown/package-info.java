/**
 * Graceful shutdown: {@link org.sluice.api.shutdown.GracefulShutdown} stops admitting sessions and
 * waits, up to the configured drain time, for the live ones to end before the server closes.
 */
package org.sluice.api.shutdown;
