package org.sluice.api.config;

/** A configuration value that cannot be used; the message is one line fit for a person. */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(oneLine(message), null, false, false);
    }

    /** Control characters (from hostile values quoted in the message) become spaces. */
    private static String oneLine(String message) {
        StringBuilder line = new StringBuilder(message.length());
        message.codePoints().forEach(c -> line.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return line.toString();
    }
}
