package org.sluice.core.sdp;

/** A {@code c=} line: {@code <nettype> <addrtype> <connection-address>}. */
public record Connection(String netType, String addressType, String address) {

    /** {@code IN IP4 0.0.0.0}, what JSEP writes when the address is carried by ICE candidates. */
    public static final Connection UNSPECIFIED_IP4 = new Connection("IN", "IP4", "0.0.0.0");

    @Override
    public String toString() {
        return netType + " " + addressType + " " + address;
    }
}
