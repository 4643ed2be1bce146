package org.sluice.core.datachannel;

import java.nio.charset.StandardCharsets;

/**
 * The Data Channel Establishment Protocol's two messages (RFC 8832 §5): DATA_CHANNEL_OPEN and
 * DATA_CHANNEL_ACK, carried with PPID 50. {@link #parseOpen} is bounds-checked and returns null
 * for anything malformed.
 */
final class DcepMessage {

    static final int PPID_DCEP = 50;
    static final int TYPE_ACK = 0x02;
    static final int TYPE_OPEN = 0x03;

    /** A parsed DATA_CHANNEL_OPEN. */
    record Open(ChannelOptions options, String label, String protocol) {
    }

    private DcepMessage() {
    }

    static byte[] ack() {
        return new byte[] {TYPE_ACK};
    }

    static byte[] open(ChannelOptions options, String label, String protocol) {
        byte[] l = label.getBytes(StandardCharsets.UTF_8);
        byte[] p = protocol.getBytes(StandardCharsets.UTF_8);
        if (l.length > 0xffff || p.length > 0xffff) {
            throw new IllegalArgumentException("label or protocol longer than 65535 bytes");
        }
        byte[] m = new byte[12 + l.length + p.length];
        m[0] = TYPE_OPEN;
        m[1] = (byte) options.channelType();
        m[2] = (byte) (options.priority() >>> 8);
        m[3] = (byte) options.priority();
        int r = options.reliabilityParameter();
        m[4] = (byte) (r >>> 24);
        m[5] = (byte) (r >>> 16);
        m[6] = (byte) (r >>> 8);
        m[7] = (byte) r;
        m[8] = (byte) (l.length >>> 8);
        m[9] = (byte) l.length;
        m[10] = (byte) (p.length >>> 8);
        m[11] = (byte) p.length;
        System.arraycopy(l, 0, m, 12, l.length);
        System.arraycopy(p, 0, m, 12 + l.length, p.length);
        return m;
    }

    static Open parseOpen(byte[] m) {
        if (m == null || m.length < 12 || (m[0] & 0xff) != TYPE_OPEN) {
            return null;
        }
        int type = m[1] & 0xff;
        int priority = (m[2] & 0xff) << 8 | (m[3] & 0xff);
        long parameter = ((m[4] & 0xffL) << 24) | ((m[5] & 0xff) << 16) | ((m[6] & 0xff) << 8) | (m[7] & 0xff);
        int labelLength = (m[8] & 0xff) << 8 | (m[9] & 0xff);
        int protocolLength = (m[10] & 0xff) << 8 | (m[11] & 0xff);
        if (12L + labelLength + protocolLength != m.length) {
            return null;
        }
        ChannelOptions options = ChannelOptions.fromDcep(type, parameter, priority);
        if (options == null) {
            return null;
        }
        return new Open(options, new String(m, 12, labelLength, StandardCharsets.UTF_8),
                new String(m, 12 + labelLength, protocolLength, StandardCharsets.UTF_8));
    }
}
