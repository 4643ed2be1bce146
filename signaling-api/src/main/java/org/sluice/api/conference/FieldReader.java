package org.sluice.api.conference;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads of one JSON object's fields for {@link ProtocolCodec}. A missing or mistyped field raises
 * {@link BadField} naming the field; the codec catches it, so it never leaves the codec.
 */
final class FieldReader {

    private final JsonObject json;
    private final String path;

    FieldReader(JsonObject json, String path) {
        this.json = json;
        this.path = path;
    }

    boolean has(String field) {
        return json.containsKey(field);
    }

    Object raw(String field) {
        return json.getValue(field);
    }

    String string(String field, int maxLength) {
        Object value = json.getValue(field);
        if (!(value instanceof String text)) {
            throw missingOrWrong(field, value, "a string");
        }
        if (text.length() > maxLength) {
            throw new BadField(name(field) + " is longer than " + maxLength + " characters");
        }
        return text;
    }

    String optionalString(String field, int maxLength) {
        return json.getValue(field) == null ? null : string(field, maxLength);
    }

    boolean bool(String field) {
        Object value = json.getValue(field);
        if (!(value instanceof Boolean b)) {
            throw missingOrWrong(field, value, "a boolean");
        }
        return b;
    }

    Boolean optionalBool(String field) {
        return json.getValue(field) == null ? null : bool(field);
    }

    int integer(String field, int min, int max) {
        Object value = json.getValue(field);
        if (!(value instanceof Number number) || !isIntegral(number)) {
            throw missingOrWrong(field, value, "an integer");
        }
        if (number instanceof BigInteger || number.longValue() < min || number.longValue() > max) {
            throw new BadField(name(field) + " must be between " + min + " and " + max);
        }
        return number.intValue();
    }

    Integer optionalInteger(String field, int min, int max) {
        return json.getValue(field) == null ? null : integer(field, min, max);
    }

    /** A finite number between {@code min} and {@code max}, or {@code null} when absent or JSON {@code null}. */
    Double optionalNumber(String field, double min, double max) {
        Object value = json.getValue(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number number)) {
            throw missingOrWrong(field, value, "a number");
        }
        double d = number.doubleValue();
        if (!(d >= min && d <= max)) {
            throw new BadField(name(field) + " must be between " + formatted(min) + " and " + formatted(max));
        }
        return d;
    }

    private static String formatted(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    FieldReader object(String field) {
        Object value = json.getValue(field);
        if (!(value instanceof JsonObject object)) {
            throw missingOrWrong(field, value, "an object");
        }
        return new FieldReader(object, name(field));
    }

    JsonArray array(String field, int maxSize) {
        Object value = json.getValue(field);
        if (!(value instanceof JsonArray array)) {
            throw missingOrWrong(field, value, "an array");
        }
        if (array.size() > maxSize) {
            throw new BadField(name(field) + " has more than " + maxSize + " entries");
        }
        return array;
    }

    List<String> strings(String field, int maxSize, int maxLength) {
        JsonArray array = array(field, maxSize);
        List<String> result = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            Object value = array.getValue(i);
            if (!(value instanceof String text) || text.length() > maxLength) {
                throw new BadField(name(field) + "[" + i + "] must be a string of at most " + maxLength
                        + " characters");
            }
            result.add(text);
        }
        return result;
    }

    /** Each element of an array field that must hold objects. */
    List<FieldReader> objects(String field, int maxSize) {
        JsonArray array = array(field, maxSize);
        List<FieldReader> result = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            Object value = array.getValue(i);
            if (!(value instanceof JsonObject object)) {
                throw new BadField(name(field) + "[" + i + "] must be an object");
            }
            result.add(new FieldReader(object, name(field) + "[" + i + "]"));
        }
        return result;
    }

    String name(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private BadField missingOrWrong(String field, Object value, String expected) {
        return new BadField(value == null ? name(field) + " is missing" : name(field) + " must be " + expected);
    }

    private static boolean isIntegral(Number number) {
        if (number instanceof Integer || number instanceof Long || number instanceof Short
                || number instanceof Byte || number instanceof BigInteger) {
            return true;
        }
        if (number instanceof BigDecimal decimal) {
            return decimal.stripTrailingZeros().scale() <= 0;
        }
        double d = number.doubleValue();
        return d == Math.rint(d) && !Double.isInfinite(d);
    }

    /** A field is missing or has the wrong type; the message names it. */
    static final class BadField extends RuntimeException {

        BadField(String message) {
            super(message, null, false, false);
        }
    }
}
