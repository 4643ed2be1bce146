package org.sluice.core.sdp;

/**
 * An SDP text (or trickle fragment) that could not be parsed. The message names the 1-based line number (0 when the
 * problem concerns the whole text) and what is wrong; it never echoes more than a short prefix of hostile input.
 */
public final class SdpParseException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int lineNumber;

    public SdpParseException(int lineNumber, String problem) {
        super(lineNumber > 0 ? "line " + lineNumber + ": " + problem : problem, null, false, false);
        this.lineNumber = lineNumber;
    }

    /** The 1-based line the problem was found on, or 0 when it concerns the whole text. */
    public int lineNumber() {
        return lineNumber;
    }
}
