package org.sluice.core.sdp;

/**
 * {@code a=extmap:<id>[/<direction>] <uri> [<extension attributes>]} (RFC 8285). {@code direction} and
 * {@code attributes} are {@code null} when absent.
 */
public record Extmap(int id, Direction direction, String uri, String attributes) {

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(id);
        if (direction != null) {
            sb.append('/').append(direction.token());
        }
        sb.append(' ').append(uri);
        if (attributes != null) {
            sb.append(' ').append(attributes);
        }
        return sb.toString();
    }
}
