package org.sluice.core.forward;

import io.netty.buffer.ByteBuf;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.codec.Codec;
import org.sluice.rtp.codec.KeyframeDetector;
import org.sluice.rtp.ext.HeaderExtensions;
import org.sluice.rtp.srtp.SrtpResult;
import org.sluice.rtp.srtp.SrtpSession;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * One receiver's copy of one slot: its own SSRC, continuous sequence numbers and timestamps across
 * source changes, its payload types and extension ids. {@link #forward} runs on the receiver's loop
 * and is the forwarding path's per-receiver cost: a header written into a fresh pooled buffer and
 * one encryption pass from the publisher's payload straight behind it. Nothing else is allocated.
 */
public final class OutboundStream {

    private static final long MAX_GAP_NANOS = 5_000_000_000L;

    private final EgressLeg leg;
    private final long ssrc;
    private final MediaSlot slot;
    private final CodecTable codecs;
    private final ExtensionIds extensionIds;
    private final LongSupplier nanoClock;
    private final HeaderExtensions extensions = new HeaderExtensions();

    private InboundStream source;
    private int[] payloadTypes;
    private int[] extensionTable;
    private long timestampDelta;
    private boolean waitingForKeyframe;
    private boolean started;
    private final SequenceLine line;
    private long lastTimestamp;
    private long lastSendNanos;
    private int clockRate;
    private long packetsSent;
    private long octetsSent;
    private long packetsDropped;

    public OutboundStream(EgressLeg leg, long ssrc, MediaSlot slot, CodecTable codecs, ExtensionIds extensionIds,
                          LongSupplier nanoClock) {
        this.leg = leg;
        this.ssrc = ssrc;
        this.slot = slot;
        this.codecs = codecs;
        this.extensionIds = extensionIds;
        this.nanoClock = nanoClock;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        this.line = new SequenceLine(random.nextInt(0x10000));
        this.lastTimestamp = random.nextLong(0x100000000L);
    }

    public long ssrc() {
        return ssrc;
    }

    public MediaSlot slot() {
        return slot;
    }

    /** Forwards one publisher packet; {@code view} wraps {@code packet}. On the receiver's loop. */
    void forward(ByteBuf packet, RtpPacket view, InboundStream from) {
        if (from != source) {
            if (from != slot.source()) {
                return; // a late packet of a previous source
            }
            rebase(view, from);
        }
        int sourceSequence = view.sequenceNumber();
        int admitted = line.admit(sourceSequence);
        if (admitted == SequenceLine.REFUSED) {
            packetsDropped++; // older than where this source's line starts: it would reuse our numbers
            return;
        }
        int payloadLength = view.payloadLength();
        if (payloadLength == 0) {
            skip(sourceSequence, admitted); // padding-only probe: this leg's bandwidth is ours to probe
            return;
        }
        int payloadType = payloadTypes[view.payloadType()];
        if (payloadType < 0) {
            skip(sourceSequence, admitted);
            packetsDropped++;
            return;
        }
        if (waitingForKeyframe) {
            Codec codec = from.codecs().codec(view.payloadType());
            if (codec == null || !KeyframeDetector.isKeyframe(codec, packet, view.payloadOffset(), payloadLength)) {
                from.keyframes().request();
                packetsDropped++;
                return;
            }
            waitingForKeyframe = false;
            // Number the keyframe right after our last packet: the receiver never saw what we dropped
            // while waiting, and a hole there would be NACKed for packets nobody can send.
            line.restart(sourceSequence);
        }
        SrtpSession srtp = leg.outboundSrtp();
        if (srtp == null) {
            return;
        }
        int sequence = line.number(sourceSequence);
        long timestamp = (view.timestamp() + timestampDelta) & 0xFFFFFFFFL;
        ByteBuf out = leg.alloc().directBuffer(RtpHeaderWriter.maxLength(view) + payloadLength + srtp.rtpOverhead());
        int headerLength = RtpHeaderWriter.write(out, view, extensions, extensionTable, payloadType, sequence,
                timestamp, ssrc);
        if (srtp.protectRtp(out, headerLength, packet, view.payloadOffset(), payloadLength) != SrtpResult.OK) {
            out.release();
            packetsDropped++;
            return;
        }
        if (line.sent(sequence)) {
            lastTimestamp = timestamp;
            lastSendNanos = nanoClock.getAsLong();
        }
        packetsSent++;
        octetsSent += payloadLength;
        leg.sendProtected(out);
    }

    /** A new source: continue our sequence and timestamp lines from where the last one stopped. */
    private void rebase(RtpPacket view, InboundStream from) {
        long now = nanoClock.getAsLong();
        long elapsedTicks = 0;
        if (started) {
            long elapsed = Math.min(Math.max(now - lastSendNanos, 0), MAX_GAP_NANOS);
            elapsedTicks = Math.max(1, elapsed * from.clockRate() / 1_000_000_000L);
        }
        line.restart(view.sequenceNumber());
        timestampDelta = (lastTimestamp + elapsedTicks - view.timestamp()) & 0xFFFFFFFFL;
        payloadTypes = from.codecs().translationTo(codecs);
        extensionTable = from.extensionIds().translationTo(extensionIds);
        clockRate = from.clockRate();
        waitingForKeyframe = from.kind() == MediaKind.VIDEO;
        source = from;
        started = true;
        if (waitingForKeyframe) {
            from.keyframes().request();
        }
    }

    /** A packet we do not forward: close its hole, unless the line restarts at the keyframe anyway. */
    private void skip(int sourceSequence, int admitted) {
        if (!waitingForKeyframe) {
            line.skip(sourceSequence, admitted);
        }
    }

    /** Asks the current source for a keyframe on this receiver's behalf (its PLI or FIR). */
    public void requestKeyframe() {
        InboundStream current = slot.source();
        if (current != null) {
            current.keyframes().request();
        }
    }

    /**
     * The RTP timestamp that corresponds to {@code nowNanos} on this stream's line, for a sender
     * report, or -1 when nothing has been sent yet. Uses the publisher's SR mapping when there is
     * one, so a receiver's audio and video stay in sync.
     */
    public long rtpTimestampAt(long nowNanos) {
        InboundStream current = source;
        if (!started || current == null) {
            return -1;
        }
        SenderReportMapping sr = current.senderReport();
        if (sr != null) {
            long ticks = (nowNanos - sr.arrivalNanos()) * clockRate / 1_000_000_000L;
            return (sr.rtpTimestamp() + timestampDelta + ticks) & 0xFFFFFFFFL;
        }
        long ticks = (nowNanos - lastSendNanos) * clockRate / 1_000_000_000L;
        return (lastTimestamp + ticks) & 0xFFFFFFFFL;
    }

    public long packetsSent() {
        return packetsSent;
    }

    /** Payload octets sent, as an SR counts them. */
    public long octetsSent() {
        return octetsSent;
    }

    public long packetsDropped() {
        return packetsDropped;
    }

    public boolean hasSent() {
        return packetsSent > 0;
    }
}
