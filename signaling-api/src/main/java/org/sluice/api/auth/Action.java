package org.sluice.api.auth;

/** What a request wants to do in a room. */
public enum Action {
    /** Send media (WHIP). */
    PUBLISH,
    /** Receive media (WHEP). */
    SUBSCRIBE
}
