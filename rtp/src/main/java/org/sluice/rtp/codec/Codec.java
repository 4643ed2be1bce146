package org.sluice.rtp.codec;

/**
 * The media codecs Sluice forwards, with their SDP encoding names ({@code a=rtpmap}) and RTP clock
 * rates: Opus (RFC 7587 §7: {@code opus/48000/2}), VP8 (RFC 7741 §6.1), VP9 (RFC 9628 §6.1),
 * H.264 (RFC 6184 §8.1) and AV1 (AV1 RTP specification §7.1), all video at 90 kHz.
 */
public enum Codec {
    OPUS("opus", 48_000, 2, false),
    VP8("VP8", 90_000, 1, true),
    VP9("VP9", 90_000, 1, true),
    H264("H264", 90_000, 1, true),
    AV1("AV1", 90_000, 1, true);

    private final String encodingName;
    private final int clockRate;
    private final int channels;
    private final boolean video;

    Codec(String encodingName, int clockRate, int channels, boolean video) {
        this.encodingName = encodingName;
        this.clockRate = clockRate;
        this.channels = channels;
        this.video = video;
    }

    /** The encoding name as written in {@code a=rtpmap} (compared case-insensitively, RFC 4855 §3). */
    public String encodingName() {
        return encodingName;
    }

    /** RTP timestamp clock rate in Hz. */
    public int clockRate() {
        return clockRate;
    }

    /** Channel count written in {@code a=rtpmap} (2 for Opus, 1 for video, where it is omitted). */
    public int channels() {
        return channels;
    }

    public boolean isVideo() {
        return video;
    }

    /** The codec for an SDP encoding name, case-insensitively, or {@code null} when unknown. */
    public static Codec fromEncodingName(String name) {
        if (name == null) {
            return null;
        }
        for (Codec codec : values()) {
            if (codec.encodingName.equalsIgnoreCase(name)) {
                return codec;
            }
        }
        return null;
    }
}
