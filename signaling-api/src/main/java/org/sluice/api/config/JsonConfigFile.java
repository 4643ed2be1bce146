package org.sluice.api.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a JSON config file into dotted keys: {@code {"http": {"port": 8080}}} and
 * {@code {"http.port": 8080}} both give {@code http.port=8080}. Arrays become comma-separated
 * lists; an ICE server object {@code {"url", "username", "credential"}} becomes
 * {@code url|username|credential}.
 */
final class JsonConfigFile {

    private JsonConfigFile() {
    }

    static Map<String, String> flatten(String text, Path file) throws ConfigException {
        JsonObject root;
        try {
            root = new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            throw new ConfigException("config file " + file + " is not valid JSON");
        }
        Map<String, String> out = new TreeMap<>();
        flatten("", root, out, file);
        return out;
    }

    private static void flatten(String prefix, JsonObject object, Map<String, String> out, Path file)
            throws ConfigException {
        for (Map.Entry<String, Object> entry : object) {
            String name = prefix + entry.getKey();
            Object value = entry.getValue();
            if (value instanceof JsonObject nested) {
                flatten(name + ".", nested, out, file);
            } else if (value instanceof JsonArray array) {
                out.put(name, joinArray(name, array, file));
            } else if (value == null) {
                throw new ConfigException("config file " + file + ": key '" + name + "' is null");
            } else {
                out.put(name, value.toString());
            }
        }
    }

    private static String joinArray(String name, JsonArray array, Path file) throws ConfigException {
        StringBuilder joined = new StringBuilder();
        for (Object element : array) {
            if (joined.length() > 0) {
                joined.append(',');
            }
            if (element instanceof JsonObject server) {
                Object url = server.getValue("url");
                if (!(url instanceof String)) {
                    throw new ConfigException("config file " + file + ": an entry of '" + name + "' has no \"url\"");
                }
                joined.append(url);
                if (server.containsKey("username") || server.containsKey("credential")) {
                    joined.append('|').append(server.getValue("username", ""))
                            .append('|').append(server.getValue("credential", ""));
                }
            } else if (element instanceof String || element instanceof Number) {
                joined.append(element);
            } else {
                throw new ConfigException("config file " + file + ": key '" + name + "' has an unusable entry");
            }
        }
        return joined.toString();
    }
}
