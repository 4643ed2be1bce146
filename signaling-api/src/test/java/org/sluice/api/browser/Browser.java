package org.sluice.api.browser;

/** A browser process under test, with a fresh profile; {@link #close()} kills it by PID and deletes the profile. */
public interface Browser extends AutoCloseable {

    /** Opens a new tab. */
    BrowserPage openPage() throws Exception;

    /** The browser's process id. */
    long pid();

    /** A short name for messages: {@code chromium}, {@code firefox}. */
    String name();

    @Override
    void close();
}
