package org.sluice.core.sdp.negotiation;

import java.util.List;

/**
 * A codec both sides agreed on in one m-section.
 *
 * @param name           encoding name as offered (e.g. {@code VP8})
 * @param payloadType    the payload type (the offer's)
 * @param clockRate      RTP clock rate
 * @param channels       audio channels (1 for video)
 * @param fmtp           the fmtp parameters in the answer, empty if none
 * @param rtxPayloadType the RTX payload type with {@code apt} pointing here, or -1
 * @param feedback       the agreed rtcp-fb values (e.g. {@code nack pli})
 */
public record NegotiatedCodec(String name, int payloadType, int clockRate, int channels, String fmtp,
        int rtxPayloadType, List<String> feedback) {

    public NegotiatedCodec {
        feedback = List.copyOf(feedback);
    }

    public boolean hasRtx() {
        return rtxPayloadType >= 0;
    }

    public boolean hasFeedback(String value) {
        return feedback.contains(value);
    }
}
