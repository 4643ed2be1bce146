package org.sluice.core.session;

/**
 * Broadcasts relayed between the nodes of a cluster: the node where a broadcast's publisher is (its origin) pushes the
 * room to each node whose WHEP viewers want it (an edge), once per edge, with our own ICE, DTLS and SRTP. The origin
 * makes an offer ({@link #offerRelay}); the edge takes it as a WHIP publisher marked as a relay ({@link #publishRelay});
 * the origin connects with the edge's answer ({@link #startRelay}). Blocking calls: not on an event loop.
 */
public interface RelayService {

    /** Our offer to relay room {@code room} to an edge. */
    PendingRelay offerRelay(String room) throws OfferRejectedException;

    /**
     * At the origin: connects {@code offer} (one of this service's, used once) with the edge's answer; returns the
     * relay's session id.
     */
    String startRelay(PendingRelay offer, String answerSdp, String edge) throws OfferRejectedException;

    /** At the edge: takes a relay offer from {@code origin} (a cluster member id) as room {@code room}'s publisher. */
    SessionAnswer publishRelay(String room, String offerSdp, String origin) throws OfferRejectedException;

    /** At an edge: ends the relays from {@code origin} (it left the cluster); returns how many. */
    int endRelaysFrom(String origin);

    /** Relays from here to edges now. */
    int relaysOut();

    /** Relays into rooms here from their origins now. */
    int relaysIn();
}
