package org.sluice.core.forward;

import java.util.Arrays;
import java.util.Map;

/**
 * One leg's extension ids for the {@link ExtensionType}s the forwarder copies (0 = not negotiated).
 * Immutable; built on the control plane from the negotiated extmap.
 */
public final class ExtensionIds {

    public static final ExtensionIds NONE = new ExtensionIds(new int[ExtensionType.values().length]);

    private final int[] idByType;

    private ExtensionIds(int[] idByType) {
        this.idByType = idByType;
    }

    /** From a URI → id map, as negotiated in SDP. */
    public static ExtensionIds fromUris(Map<String, Integer> idsByUri) {
        int[] ids = new int[ExtensionType.values().length];
        idsByUri.forEach((uri, id) -> {
            ExtensionType type = ExtensionType.fromUri(uri);
            if (type != null && id != null && id > 0 && id < 256) {
                ids[type.ordinal()] = id;
            }
        });
        return new ExtensionIds(ids);
    }

    public int id(ExtensionType type) {
        return idByType[type.ordinal()];
    }

    /**
     * A table from this leg's ids to {@code receiver}'s ids: {@code table[sourceId]} is the id to
     * write, 0 to drop the element.
     */
    public int[] translationTo(ExtensionIds receiver) {
        int[] table = new int[256];
        for (ExtensionType type : ExtensionType.values()) {
            int from = id(type);
            int to = receiver.id(type);
            if (from > 0 && to > 0) {
                table[from] = to;
            }
        }
        return table;
    }

    @Override
    public String toString() {
        return "ExtensionIds" + Arrays.toString(idByType);
    }
}
