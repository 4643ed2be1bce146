package org.sluice.core.sdp;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code a=fmtp:<format> <format specific parameters>}, the parameters kept as written. */
public record Fmtp(String format, String parameters) {

    /**
     * The parameters read as {@code key=value} pairs separated by {@code ;} (keys lower-cased, values trimmed). A
     * part without {@code =} (e.g. {@code 111/111} for RED, {@code 0-15} for telephone-event) maps to an empty
     * key-less entry under its own text.
     */
    public Map<String, String> parameterMap() {
        return parse(parameters);
    }

    /** Reads {@code k=v;k=v} text into an ordered map; never throws. */
    public static Map<String, String> parse(String parameters) {
        Map<String, String> map = new LinkedHashMap<>();
        if (parameters == null) {
            return map;
        }
        for (String part : parameters.split(";", 64)) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq < 0) {
                map.putIfAbsent(p, "");
            } else {
                map.putIfAbsent(p.substring(0, eq).trim().toLowerCase(Locale.ROOT), p.substring(eq + 1).trim());
            }
        }
        return map;
    }

    @Override
    public String toString() {
        return format + " " + parameters;
    }
}
