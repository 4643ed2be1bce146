package org.sluice.api;

/**
 * THE construction point of the production media engine, used by {@link Main}.
 *
 * <p>The engine in {@code sfu-core} is not wired in yet: {@link #production()} returns a factory
 * that refuses to start with a clear message. Replace its body with the real construction
 * (bind the UDP/ICE-TCP ports from the config, return its {@code SessionService} and shutdown).
 */
public final class EngineWiring {

    private EngineWiring() {
    }

    /** The factory {@link Main} uses. */
    public static EngineFactory production() {
        return config -> {
            throw new EngineUnavailableException(
                    "no media engine is wired into this build yet (see org.sluice.api.EngineWiring)");
        };
    }
}
