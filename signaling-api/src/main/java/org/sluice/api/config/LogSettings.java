package org.sluice.api.config;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How the server logs: the root level, per-logger levels, and plain text or one JSON object per line.
 *
 * @param level       the root level: {@code TRACE}, {@code DEBUG}, {@code INFO}, {@code WARN}, {@code ERROR} or {@code OFF}
 * @param loggerLevels levels for named loggers (e.g. {@code org.sluice.core} to {@code DEBUG})
 * @param format      {@link Format#TEXT} or {@link Format#JSON}
 */
public record LogSettings(String level, Map<String, String> loggerLevels, Format format) {

    /** INFO, text. */
    public static final LogSettings DEFAULTS = new LogSettings("INFO", Map.of(), Format.TEXT);

    /** The levels a logger may be given. */
    public static final java.util.List<String> LEVELS = java.util.List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    public LogSettings {
        Objects.requireNonNull(level, "level");
        loggerLevels = Map.copyOf(loggerLevels);
        Objects.requireNonNull(format, "format");
    }

    /** Log line format. */
    public enum Format {
        /** One human-readable line per event. */
        TEXT,
        /** One JSON object per line (Logback's JsonEncoder), for log collectors. */
        JSON;

        /** The format named {@code name} (case-insensitive), or {@code null}. */
        static Format byName(String name) {
            for (Format f : values()) {
                if (f.name().equals(name.strip().toUpperCase(Locale.ROOT))) {
                    return f;
                }
            }
            return null;
        }
    }
}
