package org.sluice.core.conference;

import org.sluice.core.peer.OfferNegotiator;
import org.sluice.core.ice.IceLiteAgent;
import org.sluice.core.peer.LegContext;
import org.sluice.core.net.MediaLoop;
import org.sluice.core.transport.TransportFactory;

import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * What the conference implementation uses of the engine: transports, the offer/answer policy, media loops,
 * clocks and the timer scheduler.
 *
 * @param settings    limits and timers
 * @param transports  creates and restarts transports
 * @param negotiator  the engine's codec/feedback/extension policy
 * @param local       our ICE credentials, fingerprint and candidates for an agent
 * @param loops       the media loops (a slot has sinks per loop)
 * @param wallClock   for join times and RTCP
 * @param nanoClock   for media timing
 * @param scheduler   grace and empty-room timers
 * @param listener    hears participants connect and leave (metrics)
 * @param legs        what every participant's media pipeline shares (clocks, counters, round-trip samples)
 */
public record ConferenceContext(ConferenceSettings settings, TransportFactory transports, OfferNegotiator negotiator,
                                Function<IceLiteAgent, OfferNegotiator.Local> local, List<MediaLoop> loops,
                                Clock wallClock, LongSupplier nanoClock, ConferenceScheduler scheduler,
                                Conferences.Observer listener, LegContext legs) {
}
