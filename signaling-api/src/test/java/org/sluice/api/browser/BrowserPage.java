package org.sluice.api.browser;

import java.nio.file.Path;
import java.time.Duration;

/** One tab of a browser under test ({@link Chromium} over DevTools, {@link Firefox} over WebDriver BiDi). */
public interface BrowserPage {

    /** Navigates and waits (bounded) until the document has loaded. */
    void navigate(String url, Duration timeout) throws Exception;

    /**
     * Evaluates {@code expression} in the page, awaiting a returned promise; returns the value as
     * JSON-like Java objects (String, Number, Boolean, JsonObject, JsonArray) or null. Throws if the
     * page threw.
     */
    Object evaluate(String expression) throws Exception;

    /**
     * Saves a PNG of the page's viewport to {@code file}, creating parent directories; returns the
     * PNG's size in bytes.
     */
    long screenshot(Path file) throws Exception;
}
