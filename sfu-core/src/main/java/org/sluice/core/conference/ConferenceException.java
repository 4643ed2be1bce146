package org.sluice.core.conference;

/** A conferencing request the engine refuses; the message is one short sentence fit for the client. */
public final class ConferenceException extends Exception {

    /** Why; the protocol sends the lower-case name as the error code. */
    public enum Code {
        /** The request itself is not acceptable (bad name, bad value). */
        INVALID,
        /** The room is at its participant limit. */
        ROOM_FULL,
        /** A room with that name is already open. */
        ROOM_EXISTS,
        UNKNOWN_ROOM,
        UNKNOWN_PARTICIPANT,
        UNKNOWN_TRACK,
        /** The participant is at its published-track limit. */
        TOO_MANY_TRACKS,
        /** The participant's grant does not allow it (publish or subscribe). */
        NOT_ALLOWED,
        /** The SDP offer cannot be answered. */
        BAD_OFFER,
        /** The participant has left or was removed. */
        CLOSED,
        /** The engine is draining or shut down. */
        UNAVAILABLE,
        /** No detached participant with that id and token. */
        RESUME_FAILED
    }

    private final Code code;

    public ConferenceException(Code code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
