package org.sluice.core.session;

/** No session with the given id exists (HTTP 404). */
public final class UnknownSessionException extends Exception {

    private static final long serialVersionUID = 1L;

    public UnknownSessionException(String sessionId) {
        super("no session " + sessionId, null, false, false);
    }
}
