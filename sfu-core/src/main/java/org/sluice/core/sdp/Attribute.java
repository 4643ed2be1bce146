package org.sluice.core.sdp;

/**
 * An {@code a=} line the model keeps verbatim: a property attribute ({@code value == null}, e.g. {@code a=bundle-only})
 * or a value attribute ({@code a=name:value}, e.g. {@code a=sctp-port:5000}).
 */
public record Attribute(String name, String value) {

    /** The attribute as it appears after {@code a=}. */
    public String text() {
        return value == null ? name : name + ":" + value;
    }
}
