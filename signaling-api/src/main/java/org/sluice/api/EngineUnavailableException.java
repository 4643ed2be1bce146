package org.sluice.api;

/** The media engine cannot be started; the message is one line for the operator. */
public final class EngineUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    public EngineUnavailableException(String message) {
        super(message);
    }

    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
