/**
 * The server application on Vert.x: {@link org.sluice.api.Main} (command line),
 * {@link org.sluice.api.SluiceServer} (HTTP server over a {@link org.sluice.core.session.SessionService}),
 * and the seam where the media engine is plugged in ({@link org.sluice.api.EngineFactory},
 * {@link org.sluice.api.EngineWiring}). Sub-packages: configuration, auth, HTTP.
 */
package org.sluice.api;
