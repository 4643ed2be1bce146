package org.sluice.core.net;

import io.netty.buffer.ByteBuf;

/**
 * Demultiplexing of the packets that share one ICE 5-tuple by their first byte (RFC 7983 §7):
 * STUN 0–3, DTLS 20–63, RTP/RTCP 128–191. Everything else (ZRTP, TURN channels, garbage) is
 * {@link #UNKNOWN}.
 */
public enum PacketClass {
    STUN, DTLS, RTP_OR_RTCP, UNKNOWN;

    public static PacketClass of(ByteBuf packet) {
        if (!packet.isReadable()) {
            return UNKNOWN;
        }
        int b = packet.getUnsignedByte(packet.readerIndex());
        if (b <= 3) {
            return STUN;
        }
        if (b >= 20 && b <= 63) {
            return DTLS;
        }
        if (b >= 128 && b <= 191) {
            return RTP_OR_RTCP;
        }
        return UNKNOWN;
    }
}
