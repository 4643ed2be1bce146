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
    /** Media payload type → its RTX payload type (RFC 4588), -1 without. */
    private final int[] rtxByPayloadType = new int[128];
    /** RTX payload type → the media payload type it repairs ({@code apt}), -1 for a media type. */
    private final int[] aptByRtxPayloadType = new int[128];

    public CodecTable(Map<Integer, Codec> codecsByPayloadType) {
        this(codecsByPayloadType, Map.of());
    }

    /**
     * @param rtxByPayloadType media payload type → the RTX payload type negotiated for it
     */
    public CodecTable(Map<Integer, Codec> codecsByPayloadType, Map<Integer, Integer> rtxByPayloadType) {
        Arrays.fill(payloadTypeByCodec, -1);
        Arrays.fill(this.rtxByPayloadType, -1);
        Arrays.fill(aptByRtxPayloadType, -1);
        rtxByPayloadType.forEach((pt, rtx) -> {
            if (pt != null && rtx != null && pt >= 0 && pt < 128 && rtx >= 0 && rtx < 128
                    && codecsByPayloadType.containsKey(pt) && !codecsByPayloadType.containsKey(rtx)) {
                this.rtxByPayloadType[pt] = rtx;
                aptByRtxPayloadType[rtx] = pt;
            }
        });
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

    /** The RTX payload type negotiated for media payload type {@code payloadType}, or -1. */
    public int rtxPayloadType(int payloadType) {
        return payloadType >= 0 && payloadType < 128 ? rtxByPayloadType[payloadType] : -1;
    }

    /** The media payload type an RTX payload type repairs, or -1 when {@code payloadType} is not RTX. */
    public int repairedPayloadType(int payloadType) {
        return payloadType >= 0 && payloadType < 128 ? aptByRtxPayloadType[payloadType] : -1;
    }

    /** Some RTX payload type of this leg (for padding, which repairs nothing), or -1. */
    public int anyRtxPayloadType() {
        for (int rtx = 0; rtx < 128; rtx++) {
            if (aptByRtxPayloadType[rtx] >= 0) {
                return rtx;
            }
        }
        return -1;
    }

    /** Whether any RTX payload type was negotiated. */
    public boolean hasRtx() {
        for (int apt : aptByRtxPayloadType) {
            if (apt >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * A table from this leg's payload types to {@code receiver}'s RTX payload types for the same
     * codec (-1: the receiver has no RTX for it).
     */
    public int[] rtxTranslationTo(CodecTable receiver) {
        int[] table = new int[128];
        Arrays.fill(table, -1);
        for (int pt = 0; pt < 128; pt++) {
            Codec codec = codecByPayloadType[pt];
            if (codec != null) {
                int theirs = receiver.payloadType(codec);
                table[pt] = theirs < 0 ? -1 : receiver.rtxPayloadType(theirs);
            }
        }
        return table;
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
