package org.sluice.api.http;

/** ETag quoting and {@code If-Match} evaluation (RFC 9110 §13.1.1, strong comparison). */
final class EntityTags {

    private EntityTags() {
    }

    /** The engine's tag as an HTTP entity-tag: quoted unless it already is. */
    static String quote(String tag) {
        if (tag.startsWith("\"") || tag.startsWith("W/\"")) {
            return tag;
        }
        return "\"" + tag + "\"";
    }

    /** True if an {@code If-Match} header value matches {@code currentTag}; {@code null} header matches. */
    static boolean ifMatch(String header, String currentTag) {
        if (header == null) {
            return true;
        }
        String current = quote(currentTag);
        for (String candidate : header.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || (tag.equals(current) && !tag.startsWith("W/"))) {
                return true;
            }
        }
        return false;
    }
}
