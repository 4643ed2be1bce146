package org.sluice.core.datachannel;

/**
 * How a data channel delivers (RFC 8831 §6.1, RFC 8832 §5.1): ordered or not, and at most one of
 * a retransmission limit or a lifetime in milliseconds (-1 when unset: reliable).
 */
public record ChannelOptions(boolean ordered, int maxRetransmits, int maxPacketLifeTimeMillis, int priority) {

    public static final ChannelOptions RELIABLE = new ChannelOptions(true, -1, -1, 256);

    public static ChannelOptions unordered(int maxRetransmits) {
        return new ChannelOptions(false, maxRetransmits, -1, 256);
    }

    public boolean reliable() {
        return maxRetransmits < 0 && maxPacketLifeTimeMillis < 0;
    }

    /** The DCEP channel type byte. */
    int channelType() {
        int base = maxRetransmits >= 0 ? 0x01 : maxPacketLifeTimeMillis >= 0 ? 0x02 : 0x00;
        return ordered ? base : base | 0x80;
    }

    int reliabilityParameter() {
        return maxRetransmits >= 0 ? maxRetransmits : Math.max(0, maxPacketLifeTimeMillis);
    }

    /** Options from a DCEP channel type and reliability parameter; null for an unknown type. */
    static ChannelOptions fromDcep(int channelType, long parameter, int priority) {
        boolean ordered = (channelType & 0x80) == 0;
        int p = (int) Math.min(parameter, Integer.MAX_VALUE);
        return switch (channelType & 0x7f) {
            case 0x00 -> new ChannelOptions(ordered, -1, -1, priority);
            case 0x01 -> new ChannelOptions(ordered, p, -1, priority);
            case 0x02 -> new ChannelOptions(ordered, -1, p, priority);
            default -> null;
        };
    }
}
