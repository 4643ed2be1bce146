package org.sluice.api.config;

/** A configuration value that cannot be used; the message is one line fit for a person. */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
