package org.sluice.core.sdp;

/**
 * Bounds the parser enforces on untrusted input before and while reading it.
 *
 * @param maxChars            longest accepted text, in chars
 * @param maxLines            most lines
 * @param maxLineLength       longest single line
 * @param maxMediaSections    most m= sections
 * @param maxAttributesPerSection most a= lines in the session section or in any one m= section
 */
public record SdpLimits(int maxChars, int maxLines, int maxLineLength, int maxMediaSections,
        int maxAttributesPerSection) {

    /** 64 KiB, 4096 lines of at most 4096 chars, 64 m-sections, 1024 attributes per section. */
    public static final SdpLimits DEFAULT = new SdpLimits(64 * 1024, 4096, 4096, 64, 1024);

    public SdpLimits {
        if (maxChars <= 0 || maxLines <= 0 || maxLineLength <= 0 || maxMediaSections <= 0
                || maxAttributesPerSection <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
