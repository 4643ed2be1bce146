package org.sluice.core.sctp;

/** Chunk types, flags and parameter types of the SCTP wire format this package speaks. */
final class Chunks {

    static final int DATA = 0;
    static final int INIT = 1;
    static final int INIT_ACK = 2;
    static final int SACK = 3;
    static final int HEARTBEAT = 4;
    static final int HEARTBEAT_ACK = 5;
    static final int ABORT = 6;
    static final int SHUTDOWN = 7;
    static final int SHUTDOWN_ACK = 8;
    static final int ERROR = 9;
    static final int COOKIE_ECHO = 10;
    static final int COOKIE_ACK = 11;
    static final int SHUTDOWN_COMPLETE = 14;
    /** RFC 6525. */
    static final int RE_CONFIG = 130;
    /** RFC 3758. */
    static final int FORWARD_TSN = 192;

    /** DATA flags (RFC 9260 §3.3.1). */
    static final int FLAG_END = 0x01;
    static final int FLAG_BEGIN = 0x02;
    static final int FLAG_UNORDERED = 0x04;
    /** ABORT and SHUTDOWN COMPLETE: the verification tag is the sender's own ("reflected"). */
    static final int FLAG_T = 0x01;

    /** Parameters. */
    static final int PARAM_HEARTBEAT_INFO = 1;
    static final int PARAM_STATE_COOKIE = 7;
    static final int PARAM_OUTGOING_RESET_REQUEST = 13;
    static final int PARAM_RECONFIG_RESPONSE = 16;
    static final int PARAM_SUPPORTED_EXTENSIONS = 0x8008;
    static final int PARAM_FORWARD_TSN_SUPPORTED = 0xC000;

    /** Re-configuration results (RFC 6525 §4.4). */
    static final int RESULT_SUCCESS_NOTHING = 0;
    static final int RESULT_SUCCESS_PERFORMED = 1;
    static final int RESULT_DENIED = 2;
    static final int RESULT_ERROR_BAD_SEQUENCE = 5;
    static final int RESULT_IN_PROGRESS = 6;

    static final int COMMON_HEADER = 12;
    static final int CHUNK_HEADER = 4;
    static final int DATA_HEADER = 16;

    private Chunks() {
    }

    /** Length rounded up to a multiple of 4. */
    static int padded(int length) {
        return (length + 3) & ~3;
    }
}
