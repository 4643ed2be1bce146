package org.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;

/** Writes generic NACKs (RFC 4585 §6.2.1), packing lost sequence numbers into minimal PID/BLP pairs. */
public final class NackWriter {
    private NackWriter() {
    }

    /**
     * Appends one NACK carrying {@code lost[from..to)}, 16-bit sequence numbers sorted in RTP order
     * (wrap allowed: 65534, 65535, 0, 1). Each pair takes the first remaining number as PID and
     * covers the following up to 16 numbers in its BLP; duplicates are folded. Returns bytes written,
     * or 0 when the range is empty (no packet is written).
     */
    public static int write(ByteBuf out, long senderSsrc, long mediaSsrc, int[] lost, int from, int to) {
        int pairs = countPairs(lost, from, to);
        if (pairs == 0) {
            return 0;
        }
        int length = FeedbackHeader.SIZE + 4 * pairs;
        FeedbackHeader.write(out, RtcpPacketType.FMT_NACK, RtcpPacketType.RTPFB, length, senderSsrc, mediaSsrc);
        int i = from;
        while (i < to) {
            int pid = lost[i++] & 0xFFFF;
            int blp = 0;
            while (i < to) {
                int d = (lost[i] - pid) & 0xFFFF;
                if (d > 16) {
                    break;
                }
                if (d > 0) {
                    blp |= 1 << (d - 1);
                }
                i++;
            }
            out.writeShort(pid);
            out.writeShort(blp);
        }
        return length;
    }

    /** Number of PID/BLP pairs {@link #write} produces for {@code lost[from..to)}. */
    public static int countPairs(int[] lost, int from, int to) {
        int pairs = 0;
        int i = from;
        while (i < to) {
            int pid = lost[i++] & 0xFFFF;
            pairs++;
            while (i < to && ((lost[i] - pid) & 0xFFFF) <= 16) {
                i++;
            }
        }
        return pairs;
    }
}
