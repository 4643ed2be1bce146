package org.sluice.api.conference;

/** What the conferencing endpoint counts; {@link #NONE} when the server has no metrics. Thread-safe. */
public interface SocketMetrics {

    /** Counts nothing. */
    SocketMetrics NONE = new SocketMetrics() {
    };

    /** A WebSocket was accepted. */
    default void connectionOpened() {
    }

    /** A WebSocket closed. */
    default void connectionClosed() {
    }

    /** A text message arrived. */
    default void messageReceived() {
    }

    /** A text message was sent. */
    default void messageSent() {
    }

    /** An {@code error} with this code was sent. */
    default void error(String code) {
    }
}
