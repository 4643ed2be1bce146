package org.sluice.core.session;

/**
 * The outcome of a trickle PATCH: either candidates were taken ({@code answerFragment} null, HTTP
 * 204), or an ICE restart happened and {@code answerFragment} holds the server's new ice-ufrag,
 * ice-pwd and candidates (HTTP 200, {@code application/trickle-ice-sdpfrag}), with the new ETag.
 */
public record TrickleResult(String answerFragment, String etag) {

    public boolean isIceRestart() {
        return answerFragment != null;
    }
}
