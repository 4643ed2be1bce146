package org.sluice.core.forward;

import org.sluice.rtp.ext.ExtensionType;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * One leg's ids for the header extensions the forwarder carries from a publisher to its receivers
 * (0 = not negotiated), renumbered per receiver. Extensions whose value belongs to one leg (mid,
 * rid, transport-wide sequence numbers, abs-send-time) are not copied: the SFU terminates those.
 * Immutable; built on the control plane from the negotiated extmap.
 */
public final class ExtensionIds {

    /** The extensions copied from publisher to receivers. */
    public static final Set<ExtensionType> FORWARDED = EnumSet.of(
            ExtensionType.AUDIO_LEVEL, ExtensionType.VIDEO_ORIENTATION, ExtensionType.DEPENDENCY_DESCRIPTOR);

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
            if (type != null && FORWARDED.contains(type) && id != null && id > 0 && id < 256) {
                ids[type.ordinal()] = id;
            }
        });
        return new ExtensionIds(ids);
    }

    /** This leg's id for {@code type}, 0 when not negotiated or not forwarded. */
    public int id(ExtensionType type) {
        return idByType[type.ordinal()];
    }

    /**
     * A table from this leg's ids to {@code receiver}'s ids: {@code table[sourceId]} is the id to
     * write, 0 to drop the element.
     */
    public int[] translationTo(ExtensionIds receiver) {
        int[] table = new int[256];
        for (ExtensionType type : FORWARDED) {
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
