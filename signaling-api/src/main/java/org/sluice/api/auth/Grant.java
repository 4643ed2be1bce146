package org.sluice.api.auth;

import java.util.Objects;

/**
 * What a token allows: a room ({@code "*"} for every room), whether its holder may publish and/or
 * subscribe there, and whether it may use the admin REST API ({@code /api}).
 */
public record Grant(String room, boolean publish, boolean subscribe, boolean admin) {

    /** The room claim that matches every room. */
    public static final String ANY_ROOM = "*";

    /** A grant for everything (admin included), used when authentication is off. */
    public static final Grant EVERYTHING = new Grant(ANY_ROOM, true, true, true);

    public Grant {
        Objects.requireNonNull(room, "room");
    }

    /** A grant without admin rights. */
    public Grant(String room, boolean publish, boolean subscribe) {
        this(room, publish, subscribe, false);
    }

    /** An admin grant for every room (publish and subscribe off). */
    public static Grant adminOnly() {
        return new Grant(ANY_ROOM, false, false, true);
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
