package org.sluice.api.http;

import org.sluice.api.auth.Action;

/** The two kinds of session resource: WHIP publishers and WHEP viewers. */
enum SessionKind {
    WHIP("/whip", Action.PUBLISH),
    WHEP("/whep", Action.SUBSCRIBE);

    private final String prefix;
    private final Action action;

    SessionKind(String prefix, Action action) {
        this.prefix = prefix;
        this.action = action;
    }

    String prefix() {
        return prefix;
    }

    Action action() {
        return action;
    }
}
