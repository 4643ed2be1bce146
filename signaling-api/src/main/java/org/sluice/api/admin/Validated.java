package org.sluice.api.admin;

/** A request value that passed validation, or the one-line reason it did not. */
record Validated<T>(T value, String invalidReason) {

    static <T> Validated<T> ok(T value) {
        return new Validated<>(value, null);
    }

    static <T> Validated<T> invalid(String reason) {
        return new Validated<>(null, reason);
    }

    boolean isValid() {
        return invalidReason == null;
    }
}
