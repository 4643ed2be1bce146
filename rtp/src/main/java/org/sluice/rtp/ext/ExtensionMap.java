package org.sluice.rtp.ext;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable mapping between RFC 8285 local ids (1..255) and extension URIs, built on the
 * control plane from negotiated {@code a=extmap} lines. The hot path asks {@link #idOf} for the
 * id of a known {@link ExtensionType} (an array read), and gets -1 when it was not negotiated.
 */
public final class ExtensionMap {

    /** A map with no extensions. */
    public static final ExtensionMap EMPTY = new Builder().build();

    private final String[] uriById;
    private final ExtensionType[] typeById;
    private final int[] idByType;

    private ExtensionMap(String[] uriById) {
        this.uriById = uriById;
        this.typeById = new ExtensionType[uriById.length];
        this.idByType = new int[ExtensionType.values().length];
        Arrays.fill(idByType, -1);
        for (int id = 1; id < uriById.length; id++) {
            ExtensionType type = ExtensionType.fromUri(uriById[id]);
            typeById[id] = type;
            if (type != null && idByType[type.ordinal()] < 0) {
                idByType[type.ordinal()] = id;
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The id negotiated for {@code type}, or -1. */
    public int idOf(ExtensionType type) {
        return idByType[type.ordinal()];
    }

    /** The known type mapped to {@code id}, or {@code null} for an unknown or unmapped id. */
    public ExtensionType typeOf(int id) {
        return id > 0 && id < typeById.length ? typeById[id] : null;
    }

    /** The URI mapped to {@code id}, or {@code null}. */
    public String uriOf(int id) {
        return id > 0 && id < uriById.length ? uriById[id] : null;
    }

    /** A copy of this map with {@code id} mapped to {@code uri} (replacing any earlier mapping). */
    public ExtensionMap with(int id, String uri) {
        Builder b = new Builder();
        System.arraycopy(uriById, 0, b.uris, 0, uriById.length);
        return b.put(id, uri).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExtensionMap && Arrays.equals(uriById, ((ExtensionMap) o).uriById);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(uriById);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ExtensionMap{");
        String sep = "";
        for (int id = 1; id < uriById.length; id++) {
            if (uriById[id] != null) {
                sb.append(sep).append(id).append('=').append(uriById[id]);
                sep = ", ";
            }
        }
        return sb.append('}').toString();
    }

    /** Collects id-to-URI mappings; not thread-safe. */
    public static final class Builder {
        private final String[] uris = new String[HeaderExtensions.MAX_TWO_BYTE_ID + 1];

        private Builder() {
        }

        /**
         * Maps {@code id} (1..255) to {@code uri}.
         *
         * @throws IllegalArgumentException when the id is out of range
         */
        public Builder put(int id, String uri) {
            if (id < 1 || id > HeaderExtensions.MAX_TWO_BYTE_ID) {
                throw new IllegalArgumentException("extension id out of range 1..255: " + id);
            }
            uris[id] = Objects.requireNonNull(uri, "uri").trim();
            return this;
        }

        /** Maps {@code id} to the URI of {@code type}. */
        public Builder put(int id, ExtensionType type) {
            return put(id, type.uri());
        }

        public ExtensionMap build() {
            return new ExtensionMap(uris.clone());
        }
    }
}
