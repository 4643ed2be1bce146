package org.sluice.core.datachannel;

import java.nio.charset.StandardCharsets;

/**
 * One data channel (RFC 8831): a pair of SCTP streams with the same id, its label, protocol and
 * delivery options. Sends go through its {@link DataChannels}; like it, use it on the owner's
 * thread only.
 */
public final class DataChannel {

    /** RFC 8831 §6.6 payload protocol identifiers. */
    public static final int PPID_STRING = 51;
    public static final int PPID_BINARY = 53;
    public static final int PPID_STRING_EMPTY = 56;
    public static final int PPID_BINARY_EMPTY = 57;

    public enum State { CONNECTING, OPEN, CLOSING, CLOSED }

    private final DataChannels owner;
    private final int id;
    private final String label;
    private final String protocol;
    private final ChannelOptions options;
    private final boolean negotiated;
    State state;
    boolean outgoingReset;

    DataChannel(DataChannels owner, int id, String label, String protocol, ChannelOptions options,
                boolean negotiated, State state) {
        this.owner = owner;
        this.id = id;
        this.label = label;
        this.protocol = protocol;
        this.options = options;
        this.negotiated = negotiated;
        this.state = state;
    }

    public int id() {
        return id;
    }

    public String label() {
        return label;
    }

    public String protocol() {
        return protocol;
    }

    public ChannelOptions options() {
        return options;
    }

    public boolean negotiated() {
        return negotiated;
    }

    public State state() {
        return state;
    }

    /** Sends text (PPID 51, or 56 for the empty string); false when refused (closed, too large, buffer full). */
    public boolean send(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        return utf8.length == 0 ? owner.send(this, PPID_STRING_EMPTY, new byte[1])
                : owner.send(this, PPID_STRING, utf8);
    }

    /** Sends text already in UTF-8, byte for byte (PPID 51, or 56 when empty); false when refused. */
    public boolean sendText(byte[] utf8) {
        return utf8.length == 0 ? owner.send(this, PPID_STRING_EMPTY, new byte[1])
                : owner.send(this, PPID_STRING, utf8);
    }

    /** Sends binary (PPID 53, or 57 when empty); false when refused. */
    public boolean send(byte[] data) {
        return data.length == 0 ? owner.send(this, PPID_BINARY_EMPTY, new byte[1])
                : owner.send(this, PPID_BINARY, data);
    }

    /** Closes the channel by resetting its outgoing stream (RFC 8831 §6.7). */
    public void close() {
        owner.close(this);
    }

    @Override
    public String toString() {
        return "DataChannel{" + id + " '" + label + "' " + state + '}';
    }
}
