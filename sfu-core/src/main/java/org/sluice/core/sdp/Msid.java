package org.sluice.core.sdp;

/** {@code a=msid:<stream id> [<track id>]} (RFC 8830); {@code trackId} is {@code null} when absent. */
public record Msid(String streamId, String trackId) {

    @Override
    public String toString() {
        return trackId == null ? streamId : streamId + " " + trackId;
    }
}
