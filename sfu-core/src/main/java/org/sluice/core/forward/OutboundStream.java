package org.sluice.core.forward;

import io.netty.buffer.ByteBuf;
import org.sluice.bandwidth.pacer.PacingClass;
import org.sluice.rtp.RtpPacket;
import org.sluice.rtp.codec.Codec;
import org.sluice.rtp.codec.KeyframeDetector;
import org.sluice.rtp.ext.ExtensionType;
import org.sluice.rtp.ext.HeaderExtensions;
import org.sluice.rtp.layer.LayerDecision;
import org.sluice.rtp.srtp.SrtpResult;
import org.sluice.rtp.srtp.SrtpSession;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * One receiver's copy of one slot: its own SSRC, continuous sequence numbers and timestamps across
 * source changes, its payload types and extension ids. {@link #forward} runs on the receiver's loop
 * and is the forwarding path's per-receiver cost: a header written into a fresh pooled buffer and
 * one encryption pass from the publisher's payload straight behind it. Nothing else is allocated.
 *
 * <h2>Moving and pausing</h2>
 * A receiver can be moved to another slot of the same kind ({@link #moveTo}, e.g. another simulcast
 * layer of the same track), paused ({@link #pause}) and resumed ({@link #resume}) from any thread.
 * These control-plane operations are serialized by a lock the packet path never takes. They change
 * the slot registration (a paused stream is in no slot's sinks, so it costs nothing per packet),
 * then publish the change to the media path through volatile fields: {@link #slot}, the bridge slot,
 * a resync counter and a generation counter, the generation written last. {@link #forward} reads the
 * generation once per packet (a plain load on x86) and compares it with the last one it saw; only
 * when it changed does it read the rest. All sequence and timestamp state stays confined to the
 * receiver's loop. A rebase continues our sequence line at the next number and our timestamp line by
 * the elapsed time, and video waits for a keyframe (requested from the source) before anything is sent.
 *
 * <h2>Make before break</h2>
 * A video receiver moved up (to a later slot of {@link #offerLayers}) while it is showing its current
 * layer keeps it: the stream stays a sink of the slot it is leaving (the bridge) and goes on forwarding
 * that source until a keyframe of the new slot's source is whole in this loop's packet cache
 * ({@link PendingKeyframe}), then switches there and sends that keyframe from the cache. So an
 * up-switch never leaves the receiver without pictures while the new layer's keyframe is requested,
 * encoded, sent and repaired, however long that takes (a layer the publisher had switched off takes a
 * signaling round trip to come back). A move down breaks first: the higher layer stops at once rather
 * than add to a link that asked for less, and the lower layer's keyframe is small. The media path
 * publishes what it shows ({@link #forwarding}); {@link #settleMove} (the control plane, periodically)
 * leaves the bridge slot once the switch is done. A pause, a resume, a move of a stream that shows
 * nothing yet, and audio, rebase at once: packets of the previous slot that were still on their way
 * are then dropped, and a paused stream drops everything that still reaches it.
 */
public final class OutboundStream {

    /** No layer limit: every temporal and spatial layer of the source. */
    public static final int ALL_LAYERS = LayerSelector.ALL;

    private static final long MAX_GAP_NANOS = 5_000_000_000L;
    /** Our last sent packets that a NACK can still name: about 1.5 s of 2.5 Mbit/s video. */
    private static final int SENT_LOG_PACKETS = 512;
    /** A packet is not resent again within this long, nor within a round trip. */
    private static final long MIN_RESEND_INTERVAL_NANOS = 10_000_000L;
    /** Round trip assumed before the receiver's reports give one. */
    private static final long DEFAULT_RTT_NANOS = 50_000_000L;
    private static final long RETRANSMISSION_BITS_PER_SECOND = 2_000_000L;
    private static final long RETRANSMISSION_BURST_BYTES = 64 * 1024;
    /** A rewritten payload descriptor is at most this much longer than the source's (7-bit to 15-bit ids). */
    private static final int MAX_DESCRIPTOR_GROWTH = 8;
    /**
     * How long a move keeps the receiver on the layer it leaves while the new one sends no keyframe (keyframe
     * requests are retried meanwhile); after that it waits without pictures like a stream that showed nothing.
     */
    static final long MAX_BRIDGE_NANOS = 4_000_000_000L;
    /**
     * From this reported fraction lost (x/256, about 4%) a NACKed packet is resent twice. A receiver NACKs a packet
     * again only a round trip after the last NACK, and one that cannot measure its round trip (a receive-only
     * browser: nothing it sends is reported on) waits 100 ms; so a lost resend would delay its frame by that much,
     * enough to freeze the picture. Two copies make that the square of the loss rate, for twice the (small) repair
     * traffic, within the same retransmission budget.
     */
    static final int REDUNDANT_RESEND_FRACTION_LOST = 10;

    private final EgressLeg leg;
    private final long ssrc;
    private final CodecTable codecs;
    private final ExtensionIds extensionIds;
    private final LongSupplier nanoClock;
    private final HeaderExtensions extensions = new HeaderExtensions();
    /** Our RTX SSRC for this receiver (RFC 4588), or -1: retransmissions go on {@link #ssrc}. */
    private final long rtxSsrc;
    private final RepairCounters counters;

    /** Serializes the control-plane operations; never taken on the packet path. */
    private final Object control = new Object();
    /** The slot this stream receives from (or will receive from on resume). */
    private volatile MediaSlot slot;
    /** Bumped after every move, pause and resume, after {@link #slot} and {@link #pauseRequested}. */
    private volatile int generation;
    /** Bumped (before {@link #generation}) by every change after which the media path must rebase at once. */
    private volatile int resyncs;
    /**
     * The slot being left whose source the receiver is still shown until the new slot's keyframe, or null; the
     * stream is a sink of it as well as of {@link #slot}. Control plane writes, the media path reads.
     */
    private volatile MediaSlot bridge;
    /** When {@link #bridge} was set, for {@link #MAX_BRIDGE_NANOS}; control plane. */
    private long bridgeSinceNanos;
    /** The source whose packets the receiver is being sent (past its keyframe), or null; the media path writes. */
    private volatile InboundStream forwarding;
    private volatile boolean pauseRequested;
    /** The receiver's allocator found no room for even the lowest layer: held until it finds some. */
    private volatile boolean bandwidthPaused;
    /** Since when not even the lowest layer fit ({@link #bandwidthUnfitSince}), or NOT_UNFIT; the allocator's. */
    private long unfitSinceNanos = NOT_UNFIT;
    private static final long NOT_UNFIT = Long.MIN_VALUE;
    /** {@link #close} was called; control plane. */
    private boolean closed;
    /** The loop index this stream was attached with by {@link #moveTo} or {@link #resume}; control plane. */
    private int attachedLoop = -1;

    // Media-path state: the receiver's loop only.
    private int seenGeneration;
    private int seenResyncs;
    private boolean suspended;
    private boolean rebaseNeeded;
    /** Still forwarding the bridge slot's source: the move's target is joined at its next keyframe. */
    private boolean bridged;
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
    // Retransmission state: the receiver's loop only.
    private final SentLog sentLog = new SentLog(SENT_LOG_PACKETS);
    private final RetransmissionBudget retransmissionBudget =
            new RetransmissionBudget(RETRANSMISSION_BITS_PER_SECOND, RETRANSMISSION_BURST_BYTES);
    private final RtpPacket cachedView = new RtpPacket();
    /** The view of cached packets sent at a switch ({@link #gatherKeyframe}). */
    private final RtpPacket flushView = new RtpPacket();
    private final PendingKeyframe pending = new PendingKeyframe();
    private final LayerSelector layers;
    private volatile MediaSlot[] layerSlots = new MediaSlot[0];
    private volatile int rank = 2;
    private volatile int bandwidthLayer = Integer.MAX_VALUE;
    /** The receiver's id for the transport-wide sequence number extension, 0 when it gets no transport-cc. */
    private volatile int transportCcId;
    /** The mid and rid written into every packet, for a receiver that learns our streams by them; null: none. */
    private volatile StreamIdentity identity;
    private int[] rtxPayloadTypes;
    private int rtxSequence;
    /** The loop this stream's packets arrive on, whose caches answer its NACKs. */
    private int cacheLoop;
    private long rttNanos = DEFAULT_RTT_NANOS;
    private boolean rttMeasured;
    private long packetsResent;
    private int reportedFractionLost;
    private int reportedCumulativeLost;
    private long reportedJitter;

    public OutboundStream(EgressLeg leg, long ssrc, MediaSlot slot, CodecTable codecs, ExtensionIds extensionIds,
                          LongSupplier nanoClock) {
        this(leg, ssrc, -1, slot, codecs, extensionIds, nanoClock, new RepairCounters());
    }

    /**
     * @param rtxSsrc our RTX SSRC toward this receiver when it negotiated RTX, else -1
     * @param counters where retransmissions and cache lookups are counted
     */
    public OutboundStream(EgressLeg leg, long ssrc, long rtxSsrc, MediaSlot slot, CodecTable codecs,
                          ExtensionIds extensionIds, LongSupplier nanoClock, RepairCounters counters) {
        this.leg = leg;
        this.rtxSsrc = rtxSsrc;
        this.counters = counters;
        this.layers = new LayerSelector(counters.layers);
        this.ssrc = ssrc;
        this.slot = slot;
        this.codecs = codecs;
        this.extensionIds = extensionIds;
        this.nanoClock = nanoClock;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        this.line = new SequenceLine(random.nextInt(0x10000));
        this.lastTimestamp = random.nextLong(0x100000000L);
        this.rtxSequence = random.nextInt(0x10000);
    }

    public long ssrc() {
        return ssrc;
    }

    /**
     * Writes {@code identity}'s mid and rid into every packet of this stream from now on (null: stop), for a
     * receiver that tells our streams apart by them. Any thread.
     */
    public void identify(StreamIdentity identity) {
        this.identity = identity;
    }

    /** The slot this stream receives from: the current one, or while paused the one it resumes on. */
    public MediaSlot slot() {
        return slot;
    }

    /**
     * Subscribes this receiver to {@code target} instead of its current slot (another simulcast layer
     * of the same track, say), on loop {@code loopIndex} (the receiver's loop). Keeps the SSRC and the
     * sequence and timestamp lines continuous; video continues on a keyframe of the new source, which is
     * requested. A video receiver moved up its {@link #offerLayers} while it is being shown its current source
     * keeps it until then (make before break: the previous slot is left by {@link #settleMove} once the switch is
     * done); otherwise no
     * {@link #forward} that starts after this returns sends a packet of the previous slot. A paused stream
     * only changes the slot it will resume on. Any thread.
     *
     * @throws IllegalArgumentException if {@code target} carries another kind of media than the current slot
     */
    public void moveTo(MediaSlot target, int loopIndex) {
        synchronized (control) {
            MediaSlot previous = slot;
            if (target.kind() != previous.kind()) {
                throw new IllegalArgumentException("cannot move a " + previous.kind() + " receiver to a "
                        + target.kind() + " slot");
            }
            // A stream registered by its creator (no loop recorded) is on the receiver's one loop.
            boolean sameLoop = attachedLoop < 0 || attachedLoop == loopIndex;
            if (target == previous && sameLoop) {
                attachedLoop = loopIndex;
                return;
            }
            if (pauseRequested) {
                slot = target; // registered on resume
                attachedLoop = loopIndex;
                generation++;
                return;
            }
            MediaSlot leaving = bridge;
            if (!sameLoop || target.kind() != MediaKind.VIDEO) {
                // Break before make: a new loop, or audio, which needs no keyframe to switch at.
                if (leaving != null) {
                    leaving.removeSink(this);
                    bridge = null;
                }
                previous.removeSink(this);
                slot = target;
                attachedLoop = loopIndex;
                resyncs++;
                generation++;
                target.addSink(this, loopIndex); // requests a keyframe from a video source
                return;
            }
            // Keep the slot whose source the receiver is shown now (if any) until the target's keyframe.
            InboundStream shown = forwarding;
            MediaSlot keep = shown == null ? null
                    : leaving != null && leaving.source() == shown ? leaving
                    : previous.source() == shown ? previous : null;
            if (keep != null && keep != target && !higherLayer(target, keep)) {
                // Down: the receiver's bandwidth or wish is for less, so the higher layer stops now and the lower
                // one's (small, quickly sent) keyframe is awaited, rather than adding it on top of the higher layer.
                keep = null;
            }
            if (shown != null && keep == null) {
                // The receiver stops getting the source it is shown: packets it misses from here on must not leave
                // a hole if it comes back to that source before another one, so that return rebases too.
                resyncs++;
            }
            if (leaving != null && leaving != keep && leaving != target) {
                leaving.removeSink(this);
            }
            if (previous != keep && previous != target) {
                previous.removeSink(this);
            }
            boolean registered = target == previous || target == leaving;
            MediaSlot nextBridge = keep == target ? null : keep;
            if (nextBridge != null && nextBridge != leaving) {
                bridgeSinceNanos = nanoClock.getAsLong();
            }
            bridge = nextBridge;
            slot = target;
            attachedLoop = loopIndex;
            generation++;
            if (!registered) {
                target.addSink(this, loopIndex); // requests a keyframe from a video source
            }
        }
    }

    /** Whether {@code a} comes after {@code b} among the layers offered to this stream (lowest first). */
    private boolean higherLayer(MediaSlot a, MediaSlot b) {
        MediaSlot[] offered = layerSlots;
        int ia = -1;
        int ib = -1;
        for (int i = 0; i < offered.length; i++) {
            if (offered[i] == a) {
                ia = i;
            }
            if (offered[i] == b) {
                ib = i;
            }
        }
        return ia >= 0 && ib >= 0 && ia > ib;
    }

    /**
     * Leaves the slot a move kept this receiver on ({@link #moveTo}) once the receiver is no longer shown its
     * source: the switch to the new slot's keyframe is done, or that source went away, or the new slot sent no
     * keyframe for {@link #MAX_BRIDGE_NANOS} (the stream then rebases onto the new source and waits). Cheap when
     * there is nothing to leave (one volatile read); any thread, periodically.
     */
    public void settleMove() {
        if (bridge == null) {
            return;
        }
        synchronized (control) {
            MediaSlot leaving = bridge;
            if (leaving == null) {
                return;
            }
            InboundStream shown = forwarding;
            boolean stillShown = shown != null && shown == leaving.source();
            boolean expired = nanoClock.getAsLong() - bridgeSinceNanos >= MAX_BRIDGE_NANOS;
            if (stillShown && !expired) {
                return;
            }
            leaving.removeSink(this);
            bridge = null;
            if (stillShown) {
                resyncs++; // give up on the old layer: rebase onto the new slot's source
            }
            generation++;
        }
    }

    /**
     * Stops forwarding to this receiver: it leaves its slot's sinks, so a paused stream costs nothing
     * per packet, and packets still on their way are dropped. Idempotent. Any thread.
     */
    public void pause() {
        synchronized (control) {
            if (pauseRequested) {
                return;
            }
            pauseRequested = true;
            slot.removeSink(this);
            MediaSlot leaving = bridge;
            if (leaving != null) {
                leaving.removeSink(this);
                bridge = null;
            }
            resyncs++;
            generation++;
        }
    }

    /**
     * Resumes a paused stream on loop {@code loopIndex} (the receiver's loop): it rejoins its slot's
     * sinks and resynchronizes like a source change, continuing its own sequence line with no hole and
     * its timestamp line by the elapsed time; video waits for a keyframe, which is requested. Does
     * nothing when the stream is not paused. Any thread.
     */
    public void resume(int loopIndex) {
        synchronized (control) {
            if (!pauseRequested) {
                return;
            }
            pauseRequested = false;
            attachedLoop = loopIndex;
            resyncs++;
            generation++;
            slot.addSink(this, loopIndex); // requests a keyframe from a video source
        }
    }

    /**
     * Ends this stream for good (its subscription is over): it stops forwarding like {@link #pause}, and its SSRCs'
     * outbound SRTP state is retired on the leg (on the receiver's loop, after what is queued there), so a
     * receiver's SRTP session does not fill up with the streams of past subscriptions. Idempotent; any thread.
     */
    public void close() {
        synchronized (control) {
            if (closed) {
                return;
            }
            closed = true;
        }
        pause();
        leg.streamEnded(ssrc);
        if (rtxSsrc >= 0) {
            leg.streamEnded(rtxSsrc);
        }
    }

    /** Whether {@link #pause} is in effect. */
    public boolean isPaused() {
        return pauseRequested;
    }

    /**
     * Holds ({@code true}) or releases this receiver's media because its bandwidth cannot carry even the lowest
     * layer: set by the receiver's allocator, independent of {@link #pause}. Unlike a pause the stream stays in its
     * slot's sinks (one volatile read and a drop per packet; the allocator keeps a held simulcast stream on its
     * lowest layer); released, it resynchronizes like a resumed stream: no hole in its sequence line, video from
     * the next keyframe, which is requested. Any thread; returns whether the state changed.
     */
    public boolean pauseForBandwidth(boolean paused) {
        synchronized (control) {
            if (bandwidthPaused == paused) {
                return false;
            }
            bandwidthPaused = paused;
            resyncs++;
            generation++; // released: the next packet rebases and, for video, asks for a keyframe
            return true;
        }
    }

    /**
     * Since when the receiver's allocator has found that not even this stream's lowest layer fits (the first round it
     * did, kept until {@link #bandwidthFits}); the allocator's, on the receiver's loop.
     */
    public long bandwidthUnfitSince(long nowNanos) {
        if (unfitSinceNanos == NOT_UNFIT) {
            unfitSinceNanos = nowNanos;
        }
        return unfitSinceNanos;
    }

    /** The allocator found the stream's lowest layer fits again (or the stream needs no bandwidth decision). */
    public void bandwidthFits() {
        unfitSinceNanos = NOT_UNFIT;
    }

    /** Whether {@link #pauseForBandwidth} holds this stream; read racily. */
    public boolean isPausedForBandwidth() {
        return bandwidthPaused;
    }

    /** Our RTX SSRC, or -1 when this receiver did not negotiate RTX. */
    public long rtxSsrc() {
        return rtxSsrc;
    }

    /**
     * Forwards one publisher packet; {@code view} wraps {@code packet}, which arrived on loop
     * {@code loopIndex} (the receiver's). On the receiver's loop.
     */
    void forward(ByteBuf packet, RtpPacket view, InboundStream from, int loopIndex) {
        cacheLoop = loopIndex;
        int current = generation;
        if (current != seenGeneration) {
            seenGeneration = current;
            suspended = pauseRequested || bandwidthPaused;
            rerouted();
        }
        if (suspended) {
            return; // paused: a late packet that was already on its way
        }
        if (from != source || rebaseNeeded) {
            if (from != slot.source()) {
                return; // a late packet of a previous source or of the slot we moved away from
            }
            if (bridged) {
                gatherKeyframe(packet, view, from); // the receiver keeps its layer until this one's keyframe is whole
                return;
            }
            rebaseNeeded = false;
            rebase(view, from, startsKeyframe(packet, view, from));
        }
        send(packet, view, from);
    }

    /**
     * A packet of the layer a bridged receiver moves to: gathers that layer's next keyframe and, once it is whole in
     * this loop's cache, switches to it there and sends it (with what arrived after it) from the cache.
     */
    private void gatherKeyframe(ByteBuf packet, RtpPacket view, InboundStream from) {
        long now = nanoClock.getAsLong();
        int sequence = view.sequenceNumber();
        if (pending.active() && pending.expired(now)) {
            pending.clear(); // never became whole: wait for the next one
        }
        if (startsKeyframe(packet, view, from)
                && (!pending.active() || view.timestamp() != pending.timestamp())) {
            pending.begin(sequence, view.timestamp(), now); // the first, or a newer one than an unfinished one
        }
        if (!pending.active()) {
            from.keyframes().request();
            packetsDropped++;
            return;
        }
        if (!pending.note(sequence, view.timestamp(), view.marker())) {
            return; // from before the keyframe: not part of what the receiver switches to
        }
        PacketCache cache = from.cache(cacheLoop);
        if (!pending.complete(sequence, cache, now)) {
            return; // kept by the cache until the keyframe is whole
        }
        int first = pending.start();
        int last = pending.highest();
        pending.clear();
        bridged = false;
        rebaseNeeded = false;
        ByteBuf start = first == sequence ? packet : cache.get(first, now);
        if (start == null || !flushView.wrap(start)) {
            rebase(view, from, false); // cannot happen for a whole keyframe; resync on the next one
            return;
        }
        rebase(flushView, from, true);
        for (int i = 0, span = (last - first) & 0xFFFF; i <= span; i++) {
            int s = (first + i) & 0xFFFF;
            if (s == sequence) {
                send(packet, view, from);
                continue;
            }
            ByteBuf held = cache == null ? null : cache.get(s, now);
            if (held != null && flushView.wrap(held)) {
                send(held, flushView, from);
            }
        }
    }

    /** Sends one packet of the current source to the receiver, rewritten onto our lines; after routing. */
    private void send(ByteBuf packet, RtpPacket view, InboundStream from) {
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
        Codec codec = from.codecs().codec(view.payloadType());
        if (waitingForKeyframe) {
            if (codec == null || !KeyframeDetector.isKeyframe(codec, packet, view.payloadOffset(), payloadLength)) {
                from.keyframes().request();
                packetsDropped++;
                return;
            }
            waitingForKeyframe = false;
            forwarding = from;
            // Number the keyframe right after our last packet: the receiver never saw what we dropped
            // while waiting, and a hole there would be NACKed for packets nobody can send.
            line.restart(sourceSequence);
        }
        int decision = layers.decide(packet, view, codec);
        if (!LayerDecision.isForward(decision)) {
            skip(sourceSequence, admitted); // a layer above the target: no hole in our numbers
            if (layers.waitingForKeyframe(codec)) {
                from.keyframes().request(); // a limit began mid-stream: start from the next keyframe
            }
            return;
        }
        SrtpSession srtp = leg.outboundSrtp();
        if (srtp == null) {
            return;
        }
        int sequence = line.number(sourceSequence);
        long timestamp = (view.timestamp() + timestampDelta) & 0xFFFFFFFFL;
        StreamIdentity named = identity;
        ByteBuf out = leg.alloc().directBuffer(RtpHeaderWriter.maxLength(view, named) + MAX_DESCRIPTOR_GROWTH
                + payloadLength + srtp.rtpOverhead());
        int transportCc = transportCcId;
        int transportSequence = transportCc > 0 ? leg.nextTransportSequence() : -1;
        int headerLength = RtpHeaderWriter.write(out, view, extensions, extensionTable,
                LayerDecision.isMarker(decision), payloadType, sequence, timestamp, ssrc, transportCc,
                transportSequence, named);
        if (protect(srtp, out, headerLength, packet, view, codec) != SrtpResult.OK) {
            out.release();
            packetsDropped++;
            return;
        }
        if (line.sent(sequence)) {
            lastTimestamp = timestamp;
            lastSendNanos = nanoClock.getAsLong();
        }
        sentLog.record(sequence, sourceSequence, from, timestamp);
        packetsSent++;
        octetsSent += payloadLength;
        leg.sendMedia(out, transportSequence, from.kind() == MediaKind.AUDIO ? PacingClass.AUDIO : PacingClass.VIDEO);
    }

    /**
     * Encrypts the payload behind the header (and what already follows it, an RTX OSN) in {@code out}: straight
     * from the source, or behind the receiver's own payload descriptor when the layer selection rewrote it.
     */
    private SrtpResult protect(SrtpSession srtp, ByteBuf out, int headerLength, ByteBuf packet, RtpPacket source,
                               Codec codec) {
        int offset = source.payloadOffset();
        int length = source.payloadLength();
        int consumed = layers.writeDescriptor(packet, source, codec, out);
        if (consumed < 0) {
            return SrtpResult.MALFORMED;
        }
        int prefix = out.writerIndex() - (out.readerIndex() + headerLength);
        if (prefix == 0) {
            return srtp.protectRtp(out, headerLength, packet, offset, length);
        }
        return srtp.protectRtp(out, headerLength, prefix, packet, offset + consumed, length - consumed);
    }

    /**
     * Limits the temporal and spatial layers this receiver gets of its source (VP8 temporal layers, VP9 SVC, and any
     * codec's layers named by a dependency descriptor);
     * {@link LayerSelector#ALL} for no limit. Switching up waits for a point the decoder can switch at. Any thread.
     */
    public void limitLayers(int maxSpatial, int maxTemporal) {
        layers.target(maxSpatial, maxTemporal);
    }

    /** The layer limits the receiver wished for with {@link #limitLayers}: spatial, then temporal. */
    public int wishedSpatial() {
        return layers.wishSpatial();
    }

    public int wishedTemporal() {
        return layers.wishTemporal();
    }

    /**
     * What this receiver's bandwidth allows within its source: temporal and spatial ids at most these, applied on top
     * of {@link #limitLayers}. Set by the receiver's allocator; any thread.
     */
    public void limitLayersForBandwidth(int maxSpatial, int maxTemporal) {
        layers.bandwidthTarget(maxSpatial, maxTemporal);
    }

    /**
     * The layers (simulcast encodings of one track, lowest first) this receiver can be moved between by its
     * allocator; a stream with none stays where it is put. Control plane.
     */
    public void offerLayers(MediaSlot[] slots) {
        this.layerSlots = slots.clone();
    }

    /** See {@link #offerLayers}; never null. Any thread. */
    public MediaSlot[] layerSlots() {
        return layerSlots;
    }

    /** How the allocator ranks this stream among the receiver's others: 0 screen, 1 active speaker, 2 other. */
    public void rank(int rank) {
        this.rank = rank;
    }

    public int rank() {
        return rank;
    }

    /**
     * The highest of {@link #layerSlots} the receiver's bandwidth allows, published by its allocator (the control
     * plane picks at most this layer); {@link Integer#MAX_VALUE} before any allocation.
     */
    public int bandwidthLayer() {
        return bandwidthLayer;
    }

    public void bandwidthLayer(int index) {
        this.bandwidthLayer = index;
    }

    /** Frames left out by the layer limits; read racily. */
    public long framesDroppedByLayer() {
        return layers.framesDropped();
    }

    /**
     * The control plane moved, paused or resumed the stream. A pause, a resume or a move that cannot wait rebases at
     * the next packet of the slot's source; a move keeps the source being shown while it is the new slot's or the
     * bridge's (then the new source is joined at its keyframe).
     */
    private void rerouted() {
        int resync = resyncs;
        if (resync != seenResyncs) {
            seenResyncs = resync;
            rebaseNeeded = true;
            bridged = false;
            pending.clear();
            return;
        }
        InboundStream shown = source;
        if (shown == null || rebaseNeeded) {
            return; // nothing shown yet: the next packet of the slot's source rebases anyway
        }
        MediaSlot leaving = bridge;
        pending.clear(); // a keyframe gathered for an earlier target, if any, is not this one's
        if (shown == slot.source()) {
            bridged = false; // moved back to what is being shown: nothing to switch
        } else if (!waitingForKeyframe && leaving != null && shown == leaving.source()) {
            bridged = true;
        } else {
            bridged = false;
            rebaseNeeded = true;
        }
    }

    private static boolean startsKeyframe(ByteBuf packet, RtpPacket view, InboundStream from) {
        int payloadLength = view.payloadLength();
        Codec codec = from.codecs().codec(view.payloadType());
        return payloadLength > 0 && codec != null
                && KeyframeDetector.isKeyframe(codec, packet, view.payloadOffset(), payloadLength);
    }

    /**
     * A new source: continue our sequence and timestamp lines from where the last one stopped. Video then waits for a
     * keyframe, asked for unless {@code atKeyframe} (the packet in hand starts one).
     */
    private void rebase(RtpPacket view, InboundStream from, boolean atKeyframe) {
        long now = nanoClock.getAsLong();
        long elapsedTicks = 0;
        if (started) {
            long elapsed = Math.min(Math.max(now - lastSendNanos, 0), MAX_GAP_NANOS);
            elapsedTicks = Math.max(1, elapsed * from.clockRate() / 1_000_000_000L);
        }
        line.restart(view.sequenceNumber());
        timestampDelta = (lastTimestamp + elapsedTicks - view.timestamp()) & 0xFFFFFFFFL;
        payloadTypes = from.codecs().translationTo(codecs);
        rtxPayloadTypes = from.codecs().rtxTranslationTo(codecs);
        extensionTable = from.extensionIds().translationTo(extensionIds);
        clockRate = from.clockRate();
        layers.rebase(from.extensionIds().id(ExtensionType.DEPENDENCY_DESCRIPTOR));
        waitingForKeyframe = from.kind() == MediaKind.VIDEO;
        source = from;
        forwarding = waitingForKeyframe ? null : from;
        started = true;
        if (waitingForKeyframe && !atKeyframe) {
            from.keyframes().request();
        }
    }

    /** A packet we do not forward: close its hole, unless the line restarts at the keyframe anyway. */
    private void skip(int sourceSequence, int admitted) {
        if (!waitingForKeyframe) {
            line.skip(sourceSequence, admitted);
        }
    }

    /** What the receiver last reported about this stream (RFC 3550 report block); on the receiver's loop. */
    public void receiverReport(int fractionLost, int cumulativeLost, long jitter) {
        this.reportedFractionLost = fractionLost;
        this.reportedCumulativeLost = cumulativeLost;
        this.reportedJitter = jitter;
    }

    /** The receiver's last reported fraction lost, 0..255 (x/256); read racily. */
    public int reportedFractionLost() {
        return reportedFractionLost;
    }

    /** The receiver's last reported cumulative loss; read racily. */
    public int reportedCumulativeLost() {
        return reportedCumulativeLost;
    }

    /** The receiver's last reported interarrival jitter in RTP timestamp units; read racily. */
    public long reportedJitter() {
        return reportedJitter;
    }

    /** The round trip to the receiver in nanoseconds as last measured (an assumed 50 ms before); read racily. */
    public long roundTripNanos() {
        return rttNanos;
    }

    /** Whether a round trip to the receiver was measured, so {@link #roundTripNanos()} is not the assumed one. */
    public boolean roundTripMeasured() {
        return rttMeasured;
    }

    /** The interarrival jitter the receiver last reported, in milliseconds; -1 before anything was sent. */
    public double reportedJitterMillis() {
        int rate = clockRate;
        return rate <= 0 ? -1 : reportedJitter * 1000.0 / rate;
    }

    /** The receiver's round trip, from its reports; on the receiver's loop. */
    public void roundTrip(long nanos) {
        if (nanos > 0) {
            rttNanos = nanos;
            rttMeasured = true;
        }
    }

    /**
     * Resends our packet {@code sequence}, which the receiver NACKed, from the source's packet cache:
     * as RTX on our RTX SSRC where the receiver negotiated RTX (RFC 4588: the original sequence number
     * ahead of the payload), else on our own SSRC with its original number. Not resent: what this
     * receiver was never sent (another layer, packets before a switch), what the cache no longer
     * holds, what was resent within the last round trip, and what exceeds the receiver's
     * retransmission budget. On the receiver's loop; returns whether a packet went out.
     */
    public boolean retransmit(int sequence, long nowNanos) {
        int slot = sentLog.find(sequence & 0xFFFF);
        InboundStream from = slot < 0 ? null : sentLog.source(slot);
        if (from == null || from != source) {
            counters.nacksForUnsent.increment();
            return false;
        }
        long last = sentLog.lastResendNanos(slot);
        if (last != Long.MIN_VALUE && nowNanos - last < Math.max(rttNanos, MIN_RESEND_INTERVAL_NANOS)) {
            counters.retransmissionsSuppressed.increment();
            return false;
        }
        PacketCache cache = from.cache(cacheLoop);
        ByteBuf cached = cache == null ? null : cache.get(sentLog.sourceSequence(slot), nowNanos);
        if (cached == null) {
            if (cache != null && cache.lastLookup() == PacketCache.Lookup.TOO_OLD) {
                counters.cacheTooOld.increment();
            } else {
                counters.cacheMisses.increment();
            }
            return false;
        }
        counters.cacheHits.increment();
        SrtpSession srtp = leg.outboundSrtp();
        if (srtp == null || !cachedView.wrap(cached)) {
            return false;
        }
        int payloadType = payloadTypes[cachedView.payloadType()];
        int rtxPayloadType = rtxSsrc >= 0 ? rtxPayloadTypes[cachedView.payloadType()] : -1;
        if (payloadType < 0) {
            return false;
        }
        int size = RtpHeaderWriter.maxLength(cachedView, identity) + (rtxPayloadType >= 0 ? 2 : 0)
                + cachedView.payloadLength()
                + srtp.rtpOverhead();
        if (!retransmissionBudget.tryTake(size, nowNanos)) {
            counters.retransmissionsRateLimited.increment();
            return false;
        }
        Codec codec = from.codecs().codec(cachedView.payloadType());
        if (!resend(srtp, cached, codec, sequence, slot, payloadType, rtxPayloadType, size)) {
            return false;
        }
        if (last != Long.MIN_VALUE) {
            counters.retransmissionsRepeated.increment(); // asked again: our last resend was lost
        }
        sentLog.resent(slot, nowNanos);
        packetsResent++;
        if (reportedFractionLost >= REDUNDANT_RESEND_FRACTION_LOST && retransmissionBudget.tryTake(size, nowNanos)
                && resend(srtp, cached, codec, sequence, slot, payloadType, rtxPayloadType, size)) {
            counters.retransmissionsRedundant.increment();
        }
        return true;
    }

    /**
     * Sends one copy of the cached packet {@link #cachedView} as our packet {@code sequence}: as RTX when
     * {@code rtxPayloadType} is one, else on our SSRC; returns whether it went out.
     */
    private boolean resend(SrtpSession srtp, ByteBuf cached, Codec codec, int sequence, int slot, int payloadType,
                           int rtxPayloadType, int size) {
        boolean rtx = rtxPayloadType >= 0;
        ByteBuf out = leg.alloc().directBuffer(size + MAX_DESCRIPTOR_GROWTH);
        int transportCc = transportCcId;
        int transportSequence = transportCc > 0 ? leg.nextTransportSequence() : -1;
        SrtpResult result;
        if (rtx) {
            int headerLength = RtpHeaderWriter.write(out, cachedView, extensions, extensionTable, cachedView.marker(),
                    rtxPayloadType, rtxSequence, sentLog.timestamp(slot), rtxSsrc, transportCc, transportSequence);
            out.writeShort(sequence); // RFC 4588: the original sequence number leads the payload
            result = protect(srtp, out, headerLength, cached, cachedView, codec);
        } else {
            int headerLength = RtpHeaderWriter.write(out, cachedView, extensions, extensionTable, cachedView.marker(),
                    payloadType, sequence, sentLog.timestamp(slot), ssrc, transportCc, transportSequence, identity);
            result = protect(srtp, out, headerLength, cached, cachedView, codec);
        }
        if (result != SrtpResult.OK) {
            out.release();
            return false;
        }
        if (rtx) {
            rtxSequence = (rtxSequence + 1) & 0xFFFF;
        }
        counters.retransmissionsSent.increment();
        counters.retransmissionBytesSent.add(out.readableBytes());
        leg.sendMedia(out, transportSequence, PacingClass.RETRANSMISSION);
        return true;
    }

    /**
     * Stamps the receiver's transport-wide sequence numbers with extension id {@code extensionId} (the receiver
     * negotiated transport-cc); 0 stops. Any thread, before or while forwarding.
     */
    public void useTransportCc(int extensionId) {
        this.transportCcId = Math.max(0, extensionId);
    }

    /**
     * A padding-only RTX packet of {@code bytes} of padding (at most 255) stamped with {@code transportSequence},
     * protected and ready to send, for a bandwidth probe; null when this stream cannot send one (no RTX, nothing
     * sent yet, or no transport-cc). The receiver drops it after counting it. On the receiver's loop.
     */
    public ByteBuf padding(int bytes, int transportSequence) {
        int transportCc = transportCcId;
        SrtpSession srtp = leg.outboundSrtp();
        int rtxPayloadType = codecs.anyRtxPayloadType();
        if (rtxSsrc < 0 || !started || transportCc <= 0 || srtp == null || rtxPayloadType < 0) {
            return null;
        }
        int padding = Math.max(1, Math.min(255, bytes));
        ByteBuf out = leg.alloc().directBuffer(RtpPacket.FIXED_HEADER_LENGTH + 8 + padding + srtp.rtpOverhead());
        int start = out.writerIndex();
        RtpHeaderWriter.write(out, null, extensions, null, false, rtxPayloadType, rtxSequence, lastTimestamp, rtxSsrc,
                transportCc, transportSequence);
        out.setByte(start, out.getByte(start) | 0x20); // P: the payload is padding only
        out.writeZero(padding - 1);
        out.writeByte(padding);
        if (srtp.protectRtpInPlace(out) != SrtpResult.OK) {
            out.release();
            return null;
        }
        rtxSequence = (rtxSequence + 1) & 0xFFFF;
        return out;
    }

    /** Packets resent to this receiver; read racily. */
    public long packetsResent() {
        return packetsResent;
    }

    /** Asks the current source for a keyframe on this receiver's behalf (its PLI or FIR). */
    public void requestKeyframe() {
        InboundStream current = slot.source();
        if (current != null) {
            current.keyframes().request(RepairCounters.KeyframeCause.RECEIVER);
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
