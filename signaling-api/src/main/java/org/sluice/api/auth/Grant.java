package org.sluice.api.auth;

import java.util.Objects;

/**
 * What a token allows: a room ({@code "*"} for every room) and whether its holder may publish
 * and/or subscribe there.
 */
public record Grant(String room, boolean publish, boolean subscribe) {

    /** The room claim that matches every room. */
    public static final String ANY_ROOM = "*";

    /** A grant for everything, used when authentication is off. */
    public static final Grant EVERYTHING = new Grant(ANY_ROOM, true, true);

    public Grant {
        Objects.requireNonNull(room, "room");
    }

    /** True if this grant allows {@code action} in {@code targetRoom}. */
    public boolean allows(Action action, String targetRoom) {
        boolean roomMatches = ANY_ROOM.equals(room) || room.equals(targetRoom);
        return roomMatches && (action == Action.PUBLISH ? publish : subscribe);
    }

    /** True if this grant covers {@code targetRoom} and allows publishing or subscribing there (joining it). */
    public boolean allowsJoining(String targetRoom) {
        return (ANY_ROOM.equals(room) || room.equals(targetRoom)) && (publish || subscribe);
    }
}
