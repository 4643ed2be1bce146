package org.sluice.rtp.rtcp.twcc;

/** Packet status symbols of transport-cc feedback (draft-holmer-...-01 §3.1.1). */
public final class PacketStatus {
    /** Packet not received. */
    public static final int NOT_RECEIVED = 0;
    /** Received, with a 1-byte unsigned receive delta. */
    public static final int RECEIVED_SMALL_DELTA = 1;
    /** Received, with a 2-byte signed receive delta (large or negative). */
    public static final int RECEIVED_LARGE_DELTA = 2;

    private PacketStatus() {
    }

    /** Whether the status means the packet arrived. */
    public static boolean isReceived(int status) {
        return status == RECEIVED_SMALL_DELTA || status == RECEIVED_LARGE_DELTA;
    }
}
