package org.sluice.api;

import org.sluice.api.config.ServerConfig;

/** Starts the media engine for a configuration; the seam between the server and {@code sfu-core}. */
@FunctionalInterface
public interface EngineFactory {

    /** Binds the media sockets and returns the running engine, or says why it cannot. */
    Engine start(ServerConfig config) throws EngineUnavailableException;
}
