package org.sluice.core.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.sluice.rtp.rtcp.PliView;
import org.sluice.rtp.rtcp.RtcpCompoundIterator;
import org.sluice.rtp.rtcp.RtcpPacketType;

import java.util.function.Predicate;

/** Looks into the plain RTCP compounds a simulated peer received. */
public final class RtcpCompounds {

    private RtcpCompounds() {
    }

    /** Visits one packet of a compound; true to stop. */
    @FunctionalInterface
    public interface Visitor {
        boolean visit(RtcpCompoundIterator it, ByteBuf buf);
    }

    /** Calls {@code visitor} per packet of the compound; true if any visit returned true. */
    public static boolean any(byte[] compound, Visitor visitor) {
        ByteBuf buf = Unpooled.wrappedBuffer(compound);
        try {
            RtcpCompoundIterator it = new RtcpCompoundIterator();
            if (!it.wrap(buf)) {
                return false;
            }
            while (it.next()) {
                if (visitor.visit(it, buf)) {
                    return true;
                }
            }
            return false;
        } finally {
            buf.release();
        }
    }

    /** A compound holding a PLI for {@code mediaSsrc}. */
    public static Predicate<byte[]> hasPli(long mediaSsrc) {
        return compound -> any(compound, (it, buf) -> {
            PliView pli = new PliView();
            return it.packetType() == RtcpPacketType.PSFB && it.countOrFmt() == RtcpPacketType.FMT_PLI
                    && pli.wrap(buf, it.offset(), it.length()) && pli.mediaSsrc() == mediaSsrc;
        });
    }
}
