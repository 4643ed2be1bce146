package org.sluice.core.conference;

/**
 * Why a subscriber receives nothing of a track it subscribed to, as the protocol names it. When several apply, the
 * first listed here is reported: what the subscriber itself chose, then the publisher, then the network.
 */
public enum PauseCause {
    /** The subscriber paused the track ({@code preferences} with {@code paused: true}). */
    PREFERENCE("preference"),
    /** The publisher muted the track. */
    PUBLISHER_MUTED("publisherMuted"),
    /**
     * The subscriber's bandwidth estimate cannot carry even the track's lowest layer after its audio and its more
     * important videos; the track resumes when the estimate has room for it with 15% headroom.
     */
    BANDWIDTH("bandwidth");

    private final String wireName;

    PauseCause(String wireName) {
        this.wireName = wireName;
    }

    /** The name in the {@code subscriptionState} message's {@code reason}. */
    public String wireName() {
        return wireName;
    }
}
