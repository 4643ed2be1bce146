package org.sluice.core.session;

/** The engine's answer to an offer: the session created, its answer SDP and its ETag. */
public record SessionAnswer(String sessionId, String answerSdp, String etag) {
}
