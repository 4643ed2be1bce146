package org.sluice.loadgen.scenario;

/**
 * What publishers send: VP8 at {@code videoBitsPerSecond} and {@code framesPerSecond} with a key frame
 * every {@code keyFrameIntervalMillis}, packets of at most {@code maxPayload} bytes, and Opus at
 * {@code audioBitsPerSecond} (0: no audio).
 */
public record MediaSettings(int videoBitsPerSecond, int framesPerSecond, int keyFrameIntervalMillis,
                            int audioBitsPerSecond, int maxPayload) {

    public MediaSettings {
        if (videoBitsPerSecond < 8_000 || framesPerSecond < 1 || framesPerSecond > 120
                || keyFrameIntervalMillis < 100 || audioBitsPerSecond < 0 || maxPayload < 64 || maxPayload > 1400) {
            throw new IllegalArgumentException("video >= 8 kbit/s, 1..120 fps, key frames >= 100 ms apart, "
                    + "audio >= 0, max payload 64..1400");
        }
    }

    /** Frames between key frames (at least 2). */
    public int keyFrameIntervalFrames() {
        return Math.max(2, (int) ((long) keyFrameIntervalMillis * framesPerSecond / 1000));
    }
}
