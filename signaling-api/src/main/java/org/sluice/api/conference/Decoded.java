package org.sluice.api.conference;

/**
 * The codec's verdict on one text message: a request, or an error code with a reason. {@code id} is the request's
 * valid {@code id} (a String or Number) or {@code null}.
 */
public record Decoded(Object id, ClientMessage message, ErrorCode error, String reason) {

    static Decoded ok(Object id, ClientMessage message) {
        return new Decoded(id, message, null, null);
    }

    static Decoded failed(Object id, ErrorCode error, String reason) {
        return new Decoded(id, null, error, reason);
    }

    public boolean isValid() {
        return message != null;
    }
}
