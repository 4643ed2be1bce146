package org.sluice.api.cluster;

import java.util.Optional;

/**
 * Which node serves a room. Signaling asks before it creates anything for a room: a room nobody serves yet is
 * claimed for this node; a room another node serves is that node's, and the client is sent there. Blocking: call
 * off the event loop.
 */
public interface RoomPlacement {

    /** The two kinds of room, with separate names. */
    enum Kind {
        CONFERENCE("conference"),
        BROADCAST("broadcast");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /** Every room is served here: a single node. */
    RoomPlacement LOCAL = new RoomPlacement() {
        @Override
        public Optional<String> claim(Kind kind, String room) {
            return Optional.empty();
        }

        @Override
        public Optional<String> locate(Kind kind, String room) {
            return Optional.empty();
        }
    };

    /**
     * Empty when the room is served here (claimed for this node now if nobody served it), else the HTTP base URL
     * of the node that serves it.
     *
     * @throws PlacementUnavailable when the directory cannot answer (the cluster is unreachable or the owner's
     *                              address is not known yet); the caller answers 503
     */
    Optional<String> claim(Kind kind, String room) throws PlacementUnavailable;

    /**
     * The HTTP base URL of the live node that serves the room when that is another node; empty when it is served
     * here or by nobody. Claims nothing (for requests about sessions that exist only where their room is).
     *
     * @throws PlacementUnavailable when the directory cannot answer
     */
    Optional<String> locate(Kind kind, String room) throws PlacementUnavailable;

    /**
     * Whether a WHEP viewer of a broadcast that {@link #claim} found served by another node is served here instead,
     * as an edge fed by a relay from that node. False by default (the viewer is redirected).
     */
    default boolean servesViewersAsEdge() {
        return false;
    }

    /** A WHEP viewer of broadcast {@code room}, which another node serves, was served here: this node is its edge. */
    default void viewerServedAsEdge(String room) {
    }

    /** A client was sent to the node that serves its room (a 307, a {@code wrong_node}): counted for operators. */
    default void redirected() {
    }

    /** The directory could not answer in time. */
    final class PlacementUnavailable extends Exception {
        public PlacementUnavailable(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }
}
