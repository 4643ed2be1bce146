package org.sluice.api.browser;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/** One Firefox tab (a BiDi top-level browsing context). */
final class FirefoxPage implements BrowserPage {

    private final BidiConnection bidi;
    private final String context;

    FirefoxPage(BidiConnection bidi, String context) {
        this.bidi = bidi;
        this.context = context;
    }

    @Override
    public void navigate(String url, Duration timeout) throws Exception {
        bidi.send("browsingContext.navigate", new JsonObject().put("context", context).put("url", url)
                .put("wait", "complete"), timeout);
    }

    /** {@code script.evaluate} with {@code awaitPromise}; the BiDi remote value is turned into JSON-like objects. */
    @Override
    public Object evaluate(String expression) throws Exception {
        JsonObject result = bidi.send("script.evaluate", new JsonObject()
                .put("expression", expression)
                .put("target", new JsonObject().put("context", context))
                .put("awaitPromise", true)
                .put("resultOwnership", "none")
                .put("serializationOptions", new JsonObject().put("maxObjectDepth", 32)), Firefox.COMMAND_TIMEOUT);
        if ("exception".equals(result.getString("type"))) {
            JsonObject details = result.getJsonObject("exceptionDetails", new JsonObject());
            throw new IllegalStateException("page threw: " + details.getString("text"));
        }
        return toJson(result.getJsonObject("result"));
    }

    @Override
    public long screenshot(Path file) throws Exception {
        JsonObject result = bidi.send("browsingContext.captureScreenshot", new JsonObject().put("context", context),
                Firefox.COMMAND_TIMEOUT);
        byte[] png = Base64.getDecoder().decode(result.getString("data", ""));
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, png);
        return png.length;
    }

    /**
     * A BiDi {@code script.RemoteValue} as JSON-like Java objects, as DevTools' {@code returnByValue} gives them:
     * primitives, arrays and plain objects (maps become objects too); anything else (nodes, functions) is null.
     */
    static Object toJson(JsonObject remote) {
        if (remote == null) {
            return null;
        }
        String type = remote.getString("type");
        Object value = remote.getValue("value");
        switch (type) {
            case "string", "boolean":
                return value;
            case "number":
                if (value instanceof String special) {
                    return switch (special) {
                        case "NaN" -> Double.NaN;
                        case "-0" -> -0.0;
                        case "Infinity" -> Double.POSITIVE_INFINITY;
                        default -> Double.NEGATIVE_INFINITY;
                    };
                }
                return value;
            case "bigint":
                return Long.parseLong((String) value);
            case "array", "set":
                JsonArray array = new JsonArray();
                if (value instanceof JsonArray items) {
                    items.forEach(item -> array.add(toJson((JsonObject) item)));
                }
                return array;
            case "object", "map":
                JsonObject object = new JsonObject();
                if (value instanceof JsonArray entries) {
                    for (Object entry : entries) {
                        JsonArray pair = (JsonArray) entry;
                        Object key = pair.getValue(0);
                        String name = key instanceof JsonObject k ? String.valueOf(toJson(k)) : String.valueOf(key);
                        object.put(name, toJson(pair.getJsonObject(1)));
                    }
                }
                return object;
            default:
                return null;
        }
    }
}
