package org.sluice.core.sdp;

/**
 * {@code a=rid:<id> <send|recv> [<restrictions>]} (RFC 8851), e.g. {@code q send} or
 * {@code h send pt=96;max-width=640}; {@code restrictions} is kept as written, {@code null} when absent.
 */
public record Rid(String id, RidDirection direction, String restrictions) {

    /** The direction of a RID, from the side that writes it. */
    public enum RidDirection {
        SEND, RECV;

        public String token() {
            return this == SEND ? "send" : "recv";
        }
    }

    @Override
    public String toString() {
        String base = id + " " + direction.token();
        return restrictions == null ? base : base + " " + restrictions;
    }
}
