package org.sluice.core.session;

import java.util.List;

/**
 * What the HTTP signaling layer asks of the engine for WHIP/WHEP sessions. Implementations are
 * thread-safe and do not block on the network: an answer is produced from the offer alone; ICE and
 * DTLS then run in the background on the media loops.
 */
public interface SessionService {

    /** WHIP: a publisher offers its tracks to {@code room}. */
    SessionAnswer publish(String room, String offerSdp) throws OfferRejectedException;

    /** WHEP: a viewer offers to receive what is published in {@code room}. */
    SessionAnswer subscribe(String room, String offerSdp) throws OfferRejectedException;

    /**
     * A trickle-ice-sdpfrag PATCH (RFC 8840 fragment). New ice-ufrag/ice-pwd in the fragment mean an
     * ICE restart: the result then carries the server's new credentials as a fragment to return.
     */
    TrickleResult trickle(String sessionId, String sdpFragment)
            throws UnknownSessionException, OfferRejectedException;

    /** Ends a session; {@code false} if there was none with that id. */
    boolean end(String sessionId);

    /** The current ETag of a session's resource, or {@code null} if there is none. */
    String etag(String sessionId);

    /** STUN/TURN servers to advertise in {@code Link} headers (may be empty). */
    List<IceServer> iceServers();

    /** The WHIP/WHEP rooms open now with their publisher and viewers, by room name; none by default. */
    default List<BroadcastStats> broadcasts() {
        return List.of();
    }

    /**
     * Sets how long broadcast room {@code room} holds its publisher's video behind a hole for the retransmission
     * (0: cut-through), creating the room if it is not open yet.
     *
     * @throws IllegalArgumentException if {@code window} is negative or longer than the engine allows (300 ms)
     * @throws UnsupportedOperationException where broadcasts have no repair window
     */
    default void broadcastRepairWindow(String room, java.time.Duration window) {
        throw new UnsupportedOperationException("no repair window here");
    }
}
