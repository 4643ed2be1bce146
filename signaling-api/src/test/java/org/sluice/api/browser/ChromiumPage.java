package org.sluice.api.browser;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/** One Chromium tab attached over a flattened DevTools session. */
final class ChromiumPage implements BrowserPage {

    private final DevToolsConnection devTools;
    private final String sessionId;

    ChromiumPage(DevToolsConnection devTools, String sessionId) {
        this.devTools = devTools;
        this.sessionId = sessionId;
    }

    @Override
    public void navigate(String url, Duration timeout) throws Exception {
        JsonObject result = devTools.send(sessionId, "Page.navigate", new JsonObject().put("url", url),
                Chromium.COMMAND_TIMEOUT);
        if (result.containsKey("errorText")) {
            throw new IllegalStateException("navigation to " + url + " failed: " + result.getString("errorText"));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!"complete".equals(evaluate("document.readyState"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(url + " did not finish loading within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public Object evaluate(String expression) throws Exception {
        JsonObject result = devTools.send(sessionId, "Runtime.evaluate", new JsonObject()
                .put("expression", expression)
                .put("awaitPromise", true)
                .put("returnByValue", true), Chromium.COMMAND_TIMEOUT);
        JsonObject exception = result.getJsonObject("exceptionDetails");
        if (exception != null) {
            JsonObject thrown = exception.getJsonObject("exception", new JsonObject());
            throw new IllegalStateException("page threw: " + thrown.getString("description", exception.getString("text")));
        }
        return result.getJsonObject("result", new JsonObject()).getValue("value");
    }

    @Override
    public long screenshot(Path file) throws Exception {
        devTools.send(sessionId, "Page.bringToFront", new JsonObject(), Chromium.COMMAND_TIMEOUT);
        JsonObject result = devTools.send(sessionId, "Page.captureScreenshot", new JsonObject().put("format", "png"),
                Chromium.COMMAND_TIMEOUT);
        byte[] png = Base64.getDecoder().decode(result.getString("data", ""));
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, png);
        return png.length;
    }
}
