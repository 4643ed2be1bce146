package org.sluice.core.forward;

import org.sluice.rtp.codec.Codec;

import java.util.Arrays;
import java.util.Map;

/**
 * One leg's payload types for one m-section: payload type → codec, and codec → payload type.
 * Immutable, built on the control plane from the negotiated SDP.
 */
public final class CodecTable {

    private final Codec[] codecByPayloadType = new Codec[128];
    private final int[] payloadTypeByCodec = new int[Codec.values().length];

    public CodecTable(Map<Integer, Codec> codecsByPayloadType) {
        Arrays.fill(payloadTypeByCodec, -1);
        codecsByPayloadType.forEach((pt, codec) -> {
            if (pt != null && pt >= 0 && pt < 128 && codec != null) {
                codecByPayloadType[pt] = codec;
                if (payloadTypeByCodec[codec.ordinal()] < 0) {
                    payloadTypeByCodec[codec.ordinal()] = pt;
                }
            }
        });
    }

    /** The codec of a payload type, or {@code null}. */
    public Codec codec(int payloadType) {
        return payloadType >= 0 && payloadType < 128 ? codecByPayloadType[payloadType] : null;
    }

    /** The (first) payload type of a codec, or -1 when this leg did not negotiate it. */
    public int payloadType(Codec codec) {
        return payloadTypeByCodec[codec.ordinal()];
    }

    /** A table from this leg's payload types to {@code receiver}'s (-1: the receiver lacks the codec). */
    public int[] translationTo(CodecTable receiver) {
        int[] table = new int[128];
        Arrays.fill(table, -1);
        for (int pt = 0; pt < 128; pt++) {
            Codec codec = codecByPayloadType[pt];
            if (codec != null) {
                table[pt] = receiver.payloadType(codec);
            }
        }
        return table;
    }
}
