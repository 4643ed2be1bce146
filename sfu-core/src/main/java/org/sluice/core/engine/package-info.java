/**
 * The embeddable engine: {@link org.sluice.core.engine.SfuEngine} owns the media sockets, the DTLS executor, the
 * transports, the broadcast rooms behind the WHIP/WHEP {@code SessionService} and the conference rooms behind
 * {@code ConferenceService}; {@link org.sluice.core.engine.EngineConfig} says how it runs;
 * {@link org.sluice.core.engine.ForwardingTotals} keeps its forwarding counters monotonic as sessions end.
 */
package org.sluice.core.engine;
