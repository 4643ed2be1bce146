package org.sluice.rtp.ext;

/**
 * RFC 6464 client-to-mixer audio level: one byte, the voice-activity flag in the top bit and the
 * level in -dBov (0 loudest, 127 silence) in the low seven bits.
 */
public final class AudioLevelExtension {

    /** Data length of the element. */
    public static final int LENGTH = 1;

    private AudioLevelExtension() {
    }

    /** The level (0..127, in -dBov) of element {@code id}, or -1 when absent or malformed. */
    public static int level(HeaderExtensions ext, int id) {
        int h = ext.find(id);
        if (h < 0 || ext.lengthAt(h) < LENGTH) {
            return -1;
        }
        return ext.buffer().getByte(h) & 0x7F;
    }

    /** Whether element {@code id} is present and flags voice activity. */
    public static boolean voiceActivity(HeaderExtensions ext, int id) {
        int h = ext.find(id);
        return h >= 0 && ext.lengthAt(h) >= LENGTH && (ext.buffer().getByte(h) & 0x80) != 0;
    }

    /** Rewrites element {@code id} in place; false when absent. */
    public static boolean write(HeaderExtensions ext, int id, boolean voice, int level) {
        int h = ext.find(id);
        if (h < 0 || ext.lengthAt(h) < LENGTH) {
            return false;
        }
        ext.buffer().setByte(h, encode(voice, level));
        return true;
    }

    /** The element byte for a flag and a level (clamped to 0..127). */
    public static int encode(boolean voice, int level) {
        int clamped = Math.max(0, Math.min(127, level));
        return (voice ? 0x80 : 0) | clamped;
    }
}
