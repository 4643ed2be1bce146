package org.sluice.rtp.layer;

/**
 * What a layer filter decided for one packet, as bit flags in an {@code int}: {@link #DROP} (no bit),
 * {@link #FORWARD}, and {@link #MARKER} (only together with FORWARD) when the forwarded packet ends the
 * picture the receiver gets, so the caller sets the RTP marker bit. Filters that return MARKER own the
 * marker bit: the caller writes it from the decision, not from the source packet.
 */
public final class LayerDecision {

    /** Do not send the packet. */
    public static final int DROP = 0;
    /** Send the packet. */
    public static final int FORWARD = 1;
    /** Set the RTP marker bit of the forwarded packet (end of the receiver's picture). */
    public static final int MARKER = 2;

    private LayerDecision() {
    }

    /** Whether {@code decision} forwards the packet. */
    public static boolean isForward(int decision) {
        return (decision & FORWARD) != 0;
    }

    /** Whether {@code decision} sets the RTP marker bit. */
    public static boolean isMarker(int decision) {
        return (decision & MARKER) != 0;
    }

    /** Whether {@code decision} is one of DROP, FORWARD or FORWARD | MARKER. */
    public static boolean isValid(int decision) {
        return decision == DROP || decision == FORWARD || decision == (FORWARD | MARKER);
    }
}
