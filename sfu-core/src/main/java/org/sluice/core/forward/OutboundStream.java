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
    /** Packets this far past a source's first one end the check for reordered older ones. */
    private static final int LINE_START_GUARD = 0x1000;
    /** Skipped packets remembered individually before the oldest is folded into the delta. */
    private static final int SKIP_HISTORY = 16;

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
    private int sequenceDelta;
    private long timestampDelta;
    private boolean waitingForKeyframe;
    private boolean started;
    private int lastSequence;
    /** The source's sequence number where our line for it starts; older packets are dropped. */
    private int lineStart;
    /** The newest sequence number of the current source seen so far. */
    private int highestSource;
    /** Source sequence numbers skipped on purpose, oldest first, so our numbering leaves no hole. */
    private final int[] skipped = new int[SKIP_HISTORY];
    private int skippedCount;
    /** Whether packets are still checked against {@link #lineStart} (until the line is well past it). */
    private boolean guardLineStart;
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
        this.lastSequence = random.nextInt(0x10000);
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
        if (guardLineStart) {
            int sinceStart = (sourceSequence - lineStart) & 0xFFFF;
            if (sinceStart >= 0x8000) {
                packetsDropped++; // older than where this source's line starts: it would reuse our numbers
                return;
            }
            if (sinceStart >= LINE_START_GUARD) {
                guardLineStart = false; // far enough along that wrap-around cannot be mistaken for age
            }
        }
        int ahead = (sourceSequence - highestSource) & 0xFFFF;
        boolean newest = ahead != 0 && ahead < 0x8000;
        if (newest) {
            highestSource = sourceSequence;
            while (skippedCount > 0 && ((sourceSequence - skipped[0]) & 0xFFFF) >= LINE_START_GUARD) {
                foldOldestSkip(); // far behind: fold it before its distance could read as "ahead"
            }
        }
        int payloadLength = view.payloadLength();
        if (payloadLength == 0) {
            skip(sourceSequence, newest); // padding-only probe: this leg's bandwidth is ours to probe
            return;
        }
        int payloadType = payloadTypes[view.payloadType()];
        if (payloadType < 0) {
            skip(sourceSequence, newest);
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
            startLine(sourceSequence);
        }
        SrtpSession srtp = leg.outboundSrtp();
        if (srtp == null) {
            return;
        }
        int sequence = (sourceSequence + sequenceDelta - skippedBefore(sourceSequence)) & 0xFFFF;
        long timestamp = (view.timestamp() + timestampDelta) & 0xFFFFFFFFL;
        ByteBuf out = leg.alloc().directBuffer(RtpPacket.FIXED_HEADER_LENGTH + view.extensionDataLength() + 8
                + payloadLength + srtp.rtpOverhead());
        int headerLength = RtpHeaderWriter.write(out, view, extensions, extensionTable, payloadType, sequence,
                timestamp, ssrc);
        if (srtp.protectRtp(out, headerLength, packet, view.payloadOffset(), payloadLength) != SrtpResult.OK) {
            out.release();
            packetsDropped++;
            return;
        }
        if (((sequence - lastSequence) & 0xFFFF) < 0x8000) {
            lastSequence = sequence;
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
        startLine(view.sequenceNumber());
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

    /** Our next sequence number goes to the source's {@code sourceSequence}; older ones are refused. */
    private void startLine(int sourceSequence) {
        sequenceDelta = (lastSequence + 1 - sourceSequence) & 0xFFFF;
        lineStart = sourceSequence;
        highestSource = (sourceSequence - 1) & 0xFFFF; // the first packet counts as the newest
        guardLineStart = true;
        skippedCount = 0;
    }

    /**
     * Remembers a packet of the source that we do not forward (padding, a payload type the receiver
     * lacks) so the numbers after it close the hole: a receiver NACKs every hole, and nobody could
     * answer for these. Only the newest packet so far can be skipped; a reordered older one already
     * has numbers around it. The oldest entry of a full history is folded into the delta, and
     * packets older than it are refused from then on.
     */
    private void skip(int sourceSequence, boolean newest) {
        if (!newest || waitingForKeyframe) {
            return; // while waiting, the keyframe restarts the line anyway
        }
        if (skippedCount == skipped.length) {
            foldOldestSkip();
        }
        skipped[skippedCount++] = sourceSequence;
    }

    /** Moves the oldest skip into the delta; packets older than it can no longer be numbered. */
    private void foldOldestSkip() {
        sequenceDelta = (sequenceDelta - 1) & 0xFFFF;
        lineStart = skipped[0];
        guardLineStart = true;
        System.arraycopy(skipped, 1, skipped, 0, skippedCount - 1);
        skippedCount--;
    }

    /** How many skipped packets precede {@code sourceSequence}. */
    private int skippedBefore(int sourceSequence) {
        int n = 0;
        for (int i = 0; i < skippedCount; i++) {
            int distance = (sourceSequence - skipped[i]) & 0xFFFF;
            if (distance != 0 && distance < 0x8000) {
                n++;
            }
        }
        return n;
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
