package org.sluice.core.sdp;

/**
 * {@code a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]}; {@code encodingParameters}
 * (the audio channel count) is {@code null} when absent.
 */
public record RtpMap(int payloadType, String encodingName, int clockRate, String encodingParameters) {

    /** The channel count for audio: the encoding parameters if numeric, else 1. */
    public int channels() {
        if (encodingParameters == null) {
            return 1;
        }
        long n = Tokens.parseUnsigned(encodingParameters, 0, encodingParameters.length(), 255);
        return n > 0 ? (int) n : 1;
    }

    @Override
    public String toString() {
        String base = payloadType + " " + encodingName + "/" + clockRate;
        return encodingParameters == null ? base : base + "/" + encodingParameters;
    }
}
