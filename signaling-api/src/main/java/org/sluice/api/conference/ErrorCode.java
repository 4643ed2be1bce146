package org.sluice.api.conference;

import java.util.Locale;
import org.sluice.core.conference.ConferenceException;

/** The {@code error} codes this layer produces itself; engine refusals use their own lower-case names. */
public enum ErrorCode {
    BAD_JSON,
    BAD_MESSAGE,
    UNKNOWN_TYPE,
    UNSUPPORTED_VERSION,
    OUT_OF_ORDER,
    TOO_LARGE,
    UNAUTHORIZED,
    NOT_ALLOWED,
    RATE_LIMITED,
    UNKNOWN_PARTICIPANT,
    WRONG_NODE,
    INTERNAL;

    /** The protocol's spelling, e.g. {@code bad_json}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The protocol code for an engine refusal: its lower-case name ({@code room_full}, {@code bad_offer}, ...). */
    public static String wireName(ConferenceException.Code code) {
        return code.name().toLowerCase(Locale.ROOT);
    }
}
