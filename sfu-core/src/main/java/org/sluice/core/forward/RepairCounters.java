package org.sluice.core.forward;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * An engine's media-repair counters: NACKs both ways, retransmissions, the packet caches and keyframe
 * requests by cause; with them the {@link LayerCounters} of what layer selection leaves out, which keyframe
 * requests and NACKs for unsent packets are read against. Striped adders updated on the media loops, read by metrics.
 */
public final class RepairCounters {

    /** Why a keyframe was asked of a publisher. */
    public enum KeyframeCause {
        /** A receiver sent PLI or FIR. */
        RECEIVER,
        /** A receiver started, resumed or switched layer and waits for a keyframe. */
        SWITCH,
        /** Packets a publisher was asked to resend never came. */
        LOSS,
        /** A loop's mailbox was full: packets of the stream were dropped before that loop's receivers got them. */
        OVERFLOW
    }

    /** Generic NACK packets received from receivers. */
    public final LongAdder nacksReceived = new LongAdder();
    /** Sequence numbers receivers asked for. */
    public final LongAdder nackedPacketsReceived = new LongAdder();
    /** Retransmissions sent to receivers (as RTX or on the original SSRC). */
    public final LongAdder retransmissionsSent = new LongAdder();
    /** Bytes of those retransmissions, SRTP included. */
    public final LongAdder retransmissionBytesSent = new LongAdder();
    public final LongAdder cacheHits = new LongAdder();
    /** Asked for a packet the cache never held or no longer holds (ring lapped, a source change). */
    public final LongAdder cacheMisses = new LongAdder();
    public final LongAdder cacheTooOld = new LongAdder();
    /** Resent again: the receiver asked for a packet we had already resent (that resend was lost or late). */
    public final LongAdder retransmissionsRepeated = new LongAdder();
    /** Second copies of a resend, sent to receivers that report high loss (see OutboundStream). */
    public final LongAdder retransmissionsRedundant = new LongAdder();
    /** Asked again within a round trip of the last resend. */
    public final LongAdder retransmissionsSuppressed = new LongAdder();
    /** Over the receiver's retransmission budget. */
    public final LongAdder retransmissionsRateLimited = new LongAdder();
    /** Asked for packets we never sent to that receiver (another layer, before a switch). */
    public final LongAdder nacksForUnsent = new LongAdder();

    /** Generic NACK packets sent to publishers. */
    public final LongAdder nacksSent = new LongAdder();
    /** Sequence numbers asked of publishers (each try counts). */
    public final LongAdder nackedPacketsSent = new LongAdder();
    /** Retransmissions received from publishers (RTX, or a NACKed packet on its own SSRC). */
    public final LongAdder retransmissionsReceived = new LongAdder();
    public final LongAdder retransmissionBytesReceived = new LongAdder();
    /** RTX from publishers of packets already received (bandwidth probes, late second answers): not forwarded. */
    public final LongAdder retransmissionsUnused = new LongAdder();
    /** Missing packets given up on (too many tries, too old, or too late for their frame). */
    public final LongAdder nacksGivenUp = new LongAdder();

    /** Broadcast repair window: packets that waited behind a hole for the publisher's retransmission. */
    public final LongAdder repairWindowHeld = new LongAdder();
    /** Broadcast repair window: packets of holes given up on after the window's delay (never arrived in time). */
    public final LongAdder repairWindowSkipped = new LongAdder();
    /** Broadcast repair window: packets that arrived after their hole was given up on (passed on at once). */
    public final LongAdder repairWindowLate = new LongAdder();
    /** Broadcast repair window: packets dropped because the same number was held already. */
    public final LongAdder repairWindowDuplicates = new LongAdder();

    /** transport-cc feedback packets sent to publishers. */
    public final LongAdder transportFeedbackSent = new LongAdder();

    /**
     * Packets dropped because the mailbox handing a publisher stream to another loop was full (that loop fell
     * behind); each drop asks the publisher for a keyframe (throttled) for the receivers that missed it.
     */
    public final LongAdder mailboxDrops = new LongAdder();

    private final Map<KeyframeCause, LongAdder> keyframeRequests = new EnumMap<>(KeyframeCause.class);

    /** What the engine's packet caches hold right now. */
    public final CacheTotals cache = new CacheTotals();

    /** What the receivers' layer selections leave out (layers above their targets). */
    public final LayerCounters layers = new LayerCounters();

    public RepairCounters() {
        for (KeyframeCause cause : KeyframeCause.values()) {
            keyframeRequests.put(cause, new LongAdder());
        }
    }

    public void keyframeRequested(KeyframeCause cause) {
        keyframeRequests.get(cause).increment();
    }

    public long keyframeRequests(KeyframeCause cause) {
        return keyframeRequests.get(cause).sum();
    }
}
