package org.sluice.core.sdp;

/** One {@code <type>=<value>} line kept verbatim because the model has no typed field for it (e.g. b=, i=, r=). */
public record SdpLine(char type, String value) {

    @Override
    public String toString() {
        return type + "=" + value;
    }
}
