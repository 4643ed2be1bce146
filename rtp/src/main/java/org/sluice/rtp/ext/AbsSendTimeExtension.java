package org.sluice.rtp.ext;

/**
 * Absolute send time (WebRTC {@code abs-send-time}): 3 bytes, seconds as unsigned 6.18 fixed point,
 * wrapping every 64 seconds.
 */
public final class AbsSendTimeExtension {

    /** Data length of the element. */
    public static final int LENGTH = 3;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private AbsSendTimeExtension() {
    }

    /** The 24-bit value of element {@code id}, or -1 when absent or not 3 bytes. */
    public static int read(HeaderExtensions ext, int id) {
        int h = ext.find(id);
        if (h < 0 || ext.lengthAt(h) != LENGTH) {
            return -1;
        }
        return ext.buffer().getUnsignedMedium(h);
    }

    /** Rewrites element {@code id} in place with a 24-bit value; false when absent. */
    public static boolean write(HeaderExtensions ext, int id, int value) {
        int h = ext.find(id);
        if (h < 0 || ext.lengthAt(h) != LENGTH) {
            return false;
        }
        ext.buffer().setMedium(h, value & 0xFFFFFF);
        return true;
    }

    /** The 6.18 value for a time in nanoseconds (any epoch; only the low 64 s matter). */
    public static int fromNanos(long nanos) {
        long seconds = Math.floorDiv(nanos, NANOS_PER_SECOND);
        long rest = Math.floorMod(nanos, NANOS_PER_SECOND);
        long fraction = (rest << 18) / NANOS_PER_SECOND;
        return (int) (((seconds & 0x3F) << 18) | fraction);
    }

    /** Nanoseconds (0 up to 64 s) for a 6.18 value. */
    public static long toNanos(int value) {
        long v = value & 0xFFFFFFL;
        return ((v >>> 18) * NANOS_PER_SECOND) + (((v & 0x3FFFF) * NANOS_PER_SECOND) >>> 18);
    }
}
