package org.sluice.core.forward;

import io.netty.buffer.ByteBuf;
import org.sluice.core.net.MediaLoop;
import org.sluice.rtp.RtpPacket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * One RTP stream a publisher sends (one SSRC) and its fan-out. Lives on the publisher transport's
 * loop: {@link #forward} runs there, hands the packet to the local receivers directly, and once to
 * each other loop that has receivers. Fields read from other loops are final or volatile.
 */
public final class InboundStream {

    private final long ssrc;
    private final MediaKind kind;
    private final MediaSlot slot;
    private final CodecTable codecs;
    private final ExtensionIds extensionIds;
    private final int clockRate;
    private final KeyframeRequester keyframes;
    private final LoopMailbox[] mailboxes;
    private static final VarHandle LAST_ARRIVAL;

    static {
        try {
            LAST_ARRIVAL = MethodHandles.lookup().findVarHandle(InboundStream.class, "lastArrivalNanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile SenderReportMapping senderReport;
    /** Written on the publisher's loop per packet and read by the control plane, both with opaque access. */
    @SuppressWarnings("unused")
    private long lastArrivalNanos = Long.MIN_VALUE;

    public InboundStream(long ssrc, MediaKind kind, MediaSlot slot, CodecTable codecs, ExtensionIds extensionIds,
                         int clockRate, KeyframeRequester keyframes, List<MediaLoop> loops) {
        this.ssrc = ssrc;
        this.kind = kind;
        this.slot = slot;
        this.codecs = codecs;
        this.extensionIds = extensionIds;
        this.clockRate = clockRate;
        this.keyframes = keyframes;
        this.mailboxes = new LoopMailbox[loops.size()];
        for (MediaLoop loop : loops) {
            mailboxes[loop.index()] = new LoopMailbox(this, loop);
        }
    }

    public long ssrc() {
        return ssrc;
    }

    public MediaKind kind() {
        return kind;
    }

    public MediaSlot slot() {
        return slot;
    }

    public CodecTable codecs() {
        return codecs;
    }

    public ExtensionIds extensionIds() {
        return extensionIds;
    }

    public int clockRate() {
        return clockRate;
    }

    public KeyframeRequester keyframes() {
        return keyframes;
    }

    public SenderReportMapping senderReport() {
        return senderReport;
    }

    /**
     * Records that a packet of this stream arrived at {@code nanos}; on the publisher's loop, per packet (an opaque
     * store: no fence, no allocation).
     */
    public void markArrival(long nanos) {
        LAST_ARRIVAL.setOpaque(this, nanos);
    }

    /** When the last packet arrived ({@link Long#MIN_VALUE} before the first); any thread. */
    public long lastArrivalNanos() {
        return (long) LAST_ARRIVAL.getOpaque(this);
    }

    public void onSenderReport(long rtpTimestamp, long ntpMiddle32, long arrivalNanos) {
        senderReport = new SenderReportMapping(rtpTimestamp, ntpMiddle32, arrivalNanos);
    }

    /**
     * Fans a decrypted packet out, on the publisher's loop. {@code view} wraps {@code packet}. Does
     * not take ownership of {@code packet}: other loops get their own reference to the same buffer
     * (a reference count, not a copy), so after this call nobody may change the packet's bytes or
     * its reader/writer indices; the caller only releases it.
     */
    public void forward(ByteBuf packet, RtpPacket view, MediaLoop here) {
        if (slot.source() != this) {
            return;
        }
        OutboundStream[][] sinks = slot.sinksByLoop();
        int local = here.index();
        for (int i = 0; i < sinks.length; i++) {
            OutboundStream[] onLoop = sinks[i];
            if (onLoop.length == 0) {
                continue;
            }
            if (i == local) {
                for (OutboundStream sink : onLoop) {
                    sink.forward(packet, view, this);
                }
            } else {
                mailboxes[i].offer(packet.retain());
            }
        }
    }
}
