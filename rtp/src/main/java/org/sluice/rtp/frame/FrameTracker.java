package org.sluice.rtp.frame;

import org.sluice.rtp.codec.Codec;

import java.util.Arrays;

/**
 * Observes one inbound video stream's packets and knows its frames, without holding any packet:
 * which layer frames are complete, which are decodable, and whether retransmitting a missing packet
 * is still worth asking for. Single-threaded (the stream's event loop); allocation-free per packet.
 *
 * <h2>Sequence numbers</h2>
 * Sequence numbers are unwrapped against the highest seen. Packets up to {@code windowPackets}
 * behind the highest are accepted (reordering, retransmissions); duplicates are counted and
 * ignored; older packets are counted in {@link #packetsTooOld()} and ignored, except that a second
 * consecutive packet far behind is taken as a sender restart and resets the tracker. A jump ahead
 * of a whole window or more also resets it (all context is lost: frames in flight are evicted as
 * incomplete and decodability waits for the next key frame).
 *
 * <h2>Frames</h2>
 * A layer frame is keyed by (RTP timestamp, spatial id): for VP9 SVC and AV1 each spatial layer of
 * a picture is its own frame. It is <b>complete</b> exactly when a packet tagged
 * {@link PacketTag#frameBegin} and one tagged {@link PacketTag#frameEnd} arrived and every sequence
 * number between them arrived, all belonging to the frame. Frames are forgotten (evicted) when any of
 * their packets leaves the window, when older than {@code maxFrameAgeNanos} (checked on the oldest
 * frame as packets arrive), or when the table of {@code windowPackets} frames is full; an evicted
 * frame that never completed counts in {@link #framesIncomplete()}.
 *
 * <h2>Decodability rules</h2>
 * A frame is <b>decodable</b> when it is complete and:
 * <ol>
 *   <li>it is a key frame; otherwise</li>
 *   <li>with {@link PacketTag#interLayerDependent} (VP9 D), the frame of spatial layer
 *       {@code spatialId - 1} at the same timestamp is decodable; a VP9 frame without inter-picture
 *       prediction (P=0 on an upper layer) needs nothing more;</li>
 *   <li>with explicit references ({@link PacketTag#referencesKnown}: VP9 flexible mode, AV1
 *       dependency descriptor), every referenced frame is tracked, not newer, and decodable
 *       (VP9 references stay within the spatial layer, AV1 frame numbers span layers);</li>
 *   <li>otherwise implicitly, within the spatial layer, walking back from the frame to the nearest
 *       temporal layer 0 frame (at most 63 frames): every frame met with a temporal id no higher
 *       than this one's must be decodable (a layer-sync frame, VP8 Y or VP9 U, needs only the TL0
 *       frame), and the TL0 frame must be decodable. With TL0PICIDX, a TL0 frame's predecessor must
 *       carry TL0PICIDX − 1 and a higher layer frame's base must carry its TL0PICIDX, so wholly lost
 *       TL0 frames are detected. With picture ids, a wholly lost picture blocks the frame unless the
 *       layer pattern learned from earlier groups (temporal id by distance from the TL0 frame) says
 *       it was of a higher temporal layer. Without picture ids (H.264, VP8 without I, AV1 without a
 *       descriptor) the walk follows sequence numbers: any missing packet before the frame blocks
 *       it, and untagged packets ({@link #onUntaggedPacket}, e.g. padding) are skipped.</li>
 * </ol>
 * A frame that was complete but not decodable becomes decodable when what it waited for arrives
 * (reported through {@link FrameListener#onFrameDecodable}).
 *
 * <h2>Too late</h2>
 * {@link #isTooLate} tells the NACK generator that a packet is not worth asking for: it already
 * arrived, it is older than the window, it precedes the first packet of the newest decodable key
 * frame, or its slot (the time its absence was noticed, or its frame's first arrival) is older than
 * {@code maxFrameAgeNanos}.
 */
public final class FrameTracker {

    /** How far back an implicit dependency walk goes, in frames. */
    static final int MAX_WALK = 63;
    private static final int MAX_SPATIAL = 8;

    private static final byte SLOT_EMPTY = 0;
    private static final byte SLOT_MISSING = 1;
    private static final byte SLOT_MEDIA = 2;
    private static final byte SLOT_UNTAGGED = 3;

    private static final int F_KEYFRAME = 1;
    private static final int F_SWITCH = 1 << 1;
    private static final int F_COMPLETE = 1 << 2;
    private static final int F_DECODABLE = 1 << 3;
    private static final int F_NO_INTER_PICTURE = 1 << 4;
    private static final int F_INTER_LAYER = 1 << 5;
    private static final int F_REFS_KNOWN = 1 << 6;

    private final int windowSize;
    private final int windowMask;
    private final long maxFrameAgeNanos;

    private final long[] slotSeq;
    private final byte[] slotState;
    private final long[] slotFrame;
    private final long[] slotTime;

    private boolean started;
    private long highest;
    private int badSeq = -1;

    private final int frameMask;
    private final long[] fSerial;
    private final long[] fTimestamp;
    private final byte[] fSpatial;
    private final byte[] fTemporal;
    private final int[] fFlags;
    private final long[] fFirstSeq;
    private final long[] fLastSeq;
    private final long[] fMinSeq;
    private final long[] fMaxSeq;
    private final int[] fPackets;
    private final int[] fBytes;
    private final long[] fFirstArrival;
    private final long[] fFrameId;
    private final int[] fFrameIdMask;
    private final int[] fTl0;
    private final byte[] fCodec;
    private final int[] fRefCount;
    private final int[] fRefs;
    private long nextSerial;
    private long oldestSerial;
    private int pending;
    private final LongIntMap byTimestamp;
    private final LongIntMap byFrameId;
    /** Learned temporal id by distance from the TL0 frame, per spatial layer; -1 unknown. */
    private final byte[] pattern = new byte[MAX_SPATIAL * (MAX_WALK + 1)];

    private long lastKeyframeTimestamp = -1;
    private long lastKeyframeSeq = -1;

    private FrameListener listener;

    private long framesComplete;
    private long framesDecodable;
    private long keyframes;
    private long framesIncomplete;
    private long packetsTooOld;
    private long duplicates;
    private long resets;

    /**
     * @param windowPackets    sequence numbers tracked behind the highest (rounded up to a power of
     *                         two, at least 16), also the most frames tracked at once; e.g. 1024
     * @param maxFrameAgeNanos frames (and missing packets) older than this are given up; e.g. 1 s
     */
    public FrameTracker(int windowPackets, long maxFrameAgeNanos) {
        if (windowPackets < 1 || windowPackets > (1 << 15)) {
            throw new IllegalArgumentException("window must be 1..32768 packets: " + windowPackets);
        }
        if (maxFrameAgeNanos <= 0) {
            throw new IllegalArgumentException("max frame age must be positive: " + maxFrameAgeNanos);
        }
        int size = Math.max(16, Integer.highestOneBit(windowPackets * 2 - 1));
        this.windowSize = size;
        this.windowMask = size - 1;
        this.maxFrameAgeNanos = maxFrameAgeNanos;
        slotSeq = new long[size];
        slotState = new byte[size];
        slotFrame = new long[size];
        slotTime = new long[size];
        frameMask = size - 1;
        fSerial = new long[size];
        fTimestamp = new long[size];
        fSpatial = new byte[size];
        fTemporal = new byte[size];
        fFlags = new int[size];
        fFirstSeq = new long[size];
        fLastSeq = new long[size];
        fMinSeq = new long[size];
        fMaxSeq = new long[size];
        fPackets = new int[size];
        fBytes = new int[size];
        fFirstArrival = new long[size];
        fFrameId = new long[size];
        fFrameIdMask = new int[size];
        fTl0 = new int[size];
        fCodec = new byte[size];
        fRefCount = new int[size];
        fRefs = new int[size * PacketTag.MAX_REFERENCES];
        byTimestamp = new LongIntMap(size);
        byFrameId = new LongIntMap(size);
        Arrays.fill(fSerial, -1);
        Arrays.fill(slotSeq, -1);
        Arrays.fill(pattern, (byte) -1);
    }

    /** Sets (or with {@code null} removes) the frame listener. */
    public void setListener(FrameListener listener) {
        this.listener = listener;
    }

    /**
     * Forgets everything about the stream (e.g. when its SSRC changes): frames in flight are
     * evicted (incomplete ones counted), and the next packet starts the sequence afresh. Counters
     * and the listener are kept.
     */
    public void clear() {
        if (started) {
            reset();
            started = false;
            badSeq = -1;
        }
    }

    /** The window in sequence numbers (a power of two). */
    public int windowSize() {
        return windowSize;
    }

    // ------------------------------------------------------------------------------------------
    // Input

    /**
     * Accounts one received media packet. A {@code null} tag is treated like
     * {@link #onUntaggedPacket}.
     *
     * @param sequenceNumber 16-bit RTP sequence number
     * @param rtpTimestamp   32-bit RTP timestamp
     * @param tag            what {@link PacketTagger} found in the payload
     * @param payloadBytes   payload size, for the frame's byte count
     * @param nowNanos       arrival time on a monotonic clock
     */
    public void onPacket(int sequenceNumber, long rtpTimestamp, PacketTag tag, int payloadBytes, long nowNanos) {
        if (tag == null) {
            onUntaggedPacket(sequenceNumber, nowNanos);
            return;
        }
        long ext = admit(sequenceNumber & 0xFFFF, nowNanos);
        if (ext < 0) {
            return;
        }
        evictAged(nowNanos);
        long ts = rtpTimestamp & 0xFFFFFFFFL;
        int sid = tag.spatialId & (MAX_SPATIAL - 1);
        long key = timestampKey(ts, sid);
        int f = byTimestamp.get(key);
        if (f < 0) {
            f = newFrame(ts, sid, key, tag, ext, nowNanos);
        }
        int s = slot(ext);
        slotSeq[s] = ext;
        slotState[s] = SLOT_MEDIA;
        slotFrame[s] = fSerial[f];
        slotTime[s] = nowNanos;
        updateFrame(f, tag, ext, payloadBytes);
        if ((fFlags[f] & F_COMPLETE) == 0 && isComplete(f)) {
            onComplete(f, nowNanos);
        }
    }

    /**
     * Accounts a packet that belongs to no frame (padding-only, or a payload the tagger rejected):
     * it fills its sequence number for gap detection and for {@link #isTooLate}.
     */
    public void onUntaggedPacket(int sequenceNumber, long nowNanos) {
        long ext = admit(sequenceNumber & 0xFFFF, nowNanos);
        if (ext < 0) {
            return;
        }
        evictAged(nowNanos);
        int s = slot(ext);
        slotSeq[s] = ext;
        slotState[s] = SLOT_UNTAGGED;
        slotFrame[s] = -1;
        slotTime[s] = nowNanos;
    }

    /** Unwraps and admits a sequence number; -1 when the packet is to be ignored. */
    private long admit(int seq, long nowNanos) {
        if (!started) {
            started = true;
            highest = (1L << 32) + seq;
            badSeq = -1;
            return highest;
        }
        int delta = (short) (seq - (int) highest);
        long ext = highest + delta;
        if (delta > 0) {
            badSeq = -1;
            if (delta >= windowSize) {
                reset();
                highest = ext;
                return ext;
            }
            for (long e = highest + 1; e < ext; e++) {
                int s = slot(e);
                releaseSlot(s);
                slotSeq[s] = e;
                slotState[s] = SLOT_MISSING;
                slotFrame[s] = -1;
                slotTime[s] = nowNanos;
            }
            releaseSlot(slot(ext));
            highest = ext;
            return ext;
        }
        if (highest - ext >= windowSize) {
            if (seq == badSeq) {
                // Two in a row far behind: the sender restarted its sequence.
                reset();
                badSeq = -1;
                highest = ext;
                return ext;
            }
            badSeq = (seq + 1) & 0xFFFF;
            packetsTooOld++;
            return -1;
        }
        badSeq = -1;
        int s = slot(ext);
        if (slotSeq[s] == ext && (slotState[s] == SLOT_MEDIA || slotState[s] == SLOT_UNTAGGED)) {
            duplicates++;
            return -1;
        }
        return ext;
    }

    /** A slot is about to hold a newer sequence number: the frame owning its old packet leaves. */
    private void releaseSlot(int s) {
        if (slotState[s] == SLOT_MEDIA) {
            int f = live(slotFrame[s]);
            if (f >= 0) {
                evict(f);
            }
        }
        slotState[s] = SLOT_EMPTY;
    }

    private int newFrame(long ts, int sid, long key, PacketTag tag, long ext, long nowNanos) {
        while (nextSerial - oldestSerial >= windowSize) {
            int head = (int) (oldestSerial & frameMask);
            if (fSerial[head] == oldestSerial) {
                evict(head);
            }
            oldestSerial++;
        }
        long serial = nextSerial++;
        int f = (int) (serial & frameMask);
        fSerial[f] = serial;
        fTimestamp[f] = ts;
        fSpatial[f] = (byte) sid;
        fTemporal[f] = (byte) (tag.temporalId & 7);
        fFlags[f] = 0;
        fFirstSeq[f] = -1;
        fLastSeq[f] = -1;
        fMinSeq[f] = ext;
        fMaxSeq[f] = ext;
        fPackets[f] = 0;
        fBytes[f] = 0;
        fFirstArrival[f] = nowNanos;
        fTl0[f] = -1;
        fRefCount[f] = 0;
        fCodec[f] = (byte) (tag.codec == null ? 0 : tag.codec.ordinal() + 1);
        fFrameId[f] = -1;
        fFrameIdMask[f] = 0;
        if (tag.frameId >= 0 && tag.frameIdBits > 0 && tag.frameIdBits <= 31) {
            int mask = (1 << tag.frameIdBits) - 1;
            fFrameIdMask[f] = mask;
            fFrameId[f] = tag.frameId & mask;
            byFrameId.put(idKey(f, fFrameId[f]), f);
        }
        byTimestamp.put(key, f);
        return f;
    }

    private void updateFrame(int f, PacketTag tag, long ext, int payloadBytes) {
        fPackets[f]++;
        fBytes[f] += Math.max(0, payloadBytes);
        fMinSeq[f] = Math.min(fMinSeq[f], ext);
        fMaxSeq[f] = Math.max(fMaxSeq[f], ext);
        if (tag.frameBegin) {
            fFirstSeq[f] = fFirstSeq[f] < 0 ? ext : Math.min(fFirstSeq[f], ext);
        }
        if (tag.frameEnd) {
            fLastSeq[f] = Math.max(fLastSeq[f], ext);
        }
        int flags = fFlags[f];
        if (tag.keyframe) {
            flags |= F_KEYFRAME;
        }
        if (tag.switchPoint) {
            flags |= F_SWITCH;
        }
        if (tag.codec == Codec.VP9 && !tag.interPicturePredicted) {
            flags |= F_NO_INTER_PICTURE;
        }
        if (tag.interLayerDependent) {
            flags |= F_INTER_LAYER;
        }
        if (tag.referencesKnown && (flags & F_REFS_KNOWN) == 0) {
            flags |= F_REFS_KNOWN;
            int n = Math.min(tag.referenceCount, PacketTag.MAX_REFERENCES);
            System.arraycopy(tag.references, 0, fRefs, f * PacketTag.MAX_REFERENCES, n);
            fRefCount[f] = n;
        }
        fFlags[f] = flags;
        if (fTl0[f] < 0 && tag.tl0PicIdx >= 0) {
            fTl0[f] = tag.tl0PicIdx & 0xFF;
        }
    }

    private boolean isComplete(int f) {
        long first = fFirstSeq[f];
        long last = fLastSeq[f];
        return first >= 0 && last >= first && fMinSeq[f] == first && fMaxSeq[f] == last
                && fPackets[f] == last - first + 1;
    }

    private void onComplete(int f, long nowNanos) {
        fFlags[f] |= F_COMPLETE;
        framesComplete++;
        boolean key = (fFlags[f] & F_KEYFRAME) != 0;
        if (key) {
            keyframes++;
        }
        boolean decodable = evaluate(f);
        if (decodable) {
            markDecodable(f);
        } else {
            pending++;
        }
        FrameListener l = listener;
        if (l != null) {
            l.onFrameComplete(fTimestamp[f], fSpatial[f], fTemporal[f], key, decodable, fPackets[f], fBytes[f],
                    nowNanos);
        }
        if (decodable) {
            propagate(nowNanos);
        }
    }

    private void markDecodable(int f) {
        fFlags[f] |= F_DECODABLE;
        framesDecodable++;
        if ((fFlags[f] & F_KEYFRAME) != 0 && fFirstSeq[f] >= lastKeyframeSeq) {
            lastKeyframeSeq = fFirstSeq[f];
            lastKeyframeTimestamp = fTimestamp[f];
        }
    }

    /** Re-evaluates complete frames waiting for a reference until nothing changes. */
    private void propagate(long nowNanos) {
        boolean changed = true;
        while (changed && pending > 0) {
            changed = false;
            for (long serial = oldestSerial; serial < nextSerial && pending > 0; serial++) {
                int f = (int) (serial & frameMask);
                if (fSerial[f] != serial || (fFlags[f] & (F_COMPLETE | F_DECODABLE)) != F_COMPLETE) {
                    continue;
                }
                if (evaluate(f)) {
                    pending--;
                    markDecodable(f);
                    changed = true;
                    FrameListener l = listener;
                    if (l != null) {
                        l.onFrameDecodable(fTimestamp[f], fSpatial[f], fTemporal[f], nowNanos);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Decodability

    private boolean evaluate(int f) {
        int flags = fFlags[f];
        if ((flags & F_COMPLETE) == 0) {
            return false;
        }
        if ((flags & F_KEYFRAME) != 0) {
            return true;
        }
        int sid = fSpatial[f];
        if ((flags & F_INTER_LAYER) != 0 && sid > 0) {
            int lower = byTimestamp.get(timestampKey(fTimestamp[f], sid - 1));
            if (lower < 0 || !decodable(lower)) {
                return false;
            }
        }
        if ((flags & F_NO_INTER_PICTURE) != 0) {
            return true; // intra on its layer, or predicted only from the layer below checked above
        }
        if ((flags & F_REFS_KNOWN) != 0) {
            return referencesDecodable(f);
        }
        return fFrameId[f] >= 0 ? pictureWalk(f) : sequenceWalk(f);
    }

    private boolean decodable(int f) {
        return (fFlags[f] & F_DECODABLE) != 0;
    }

    private boolean referencesDecodable(int f) {
        if (fFrameId[f] < 0) {
            return false;
        }
        int mask = fFrameIdMask[f];
        int n = fRefCount[f];
        if (n == 0) {
            return false; // predicted, yet nothing to predict from
        }
        for (int k = 0; k < n; k++) {
            long id = (fFrameId[f] - fRefs[f * PacketTag.MAX_REFERENCES + k]) & mask;
            int g = byFrameId.get(idKey(f, id));
            if (g < 0 || g == f || newer(g, f) || !decodable(g)) {
                return false;
            }
        }
        return true;
    }

    /** Implicit rule over picture ids; see the class comment. */
    private boolean pictureWalk(int f) {
        int t = fTemporal[f];
        int sid = fSpatial[f];
        int tl0 = fTl0[f];
        boolean layerSync = t > 0 && (fFlags[f] & F_SWITCH) != 0;
        int mask = fFrameIdMask[f];
        long id = fFrameId[f];
        long missing = 0;
        for (int step = 1; step <= MAX_WALK && step <= mask; step++) {
            int g = byFrameId.get(idKey(f, (id - step) & mask));
            if (g < 0 || g == f || newer(g, f)) {
                missing |= 1L << step;
                continue;
            }
            int gt = fTemporal[g];
            if (gt == 0) {
                if (tl0 >= 0 && fTl0[g] >= 0) {
                    int expected = t == 0 ? (tl0 - 1) & 0xFF : tl0;
                    if (fTl0[g] != expected) {
                        return false;
                    }
                }
                learn(sid, step, t);
                if (!decodable(g)) {
                    return false;
                }
                if (missing == 0 || (tl0 >= 0 && (t == 0 || layerSync))) {
                    return true;
                }
                for (int m = 1; m < step; m++) {
                    if ((missing & (1L << m)) != 0) {
                        int learned = pattern[sid * (MAX_WALK + 1) + (step - m)];
                        if (learned < 0 || learned <= t) {
                            return false;
                        }
                    }
                }
                return true;
            }
            if (!layerSync && gt <= t && !decodable(g)) {
                return false;
            }
        }
        return false;
    }

    private void learn(int sid, int offset, int temporalId) {
        if (offset <= MAX_WALK) {
            pattern[sid * (MAX_WALK + 1) + offset] = (byte) temporalId;
        }
    }

    /** Implicit rule over sequence numbers; see the class comment. */
    private boolean sequenceWalk(int f) {
        int t = fTemporal[f];
        int sid = fSpatial[f];
        boolean layerSync = t > 0 && (fFlags[f] & F_SWITCH) != 0;
        long cur = fFirstSeq[f] - 1;
        int frames = 0;
        for (int i = 0; i < windowSize && frames < MAX_WALK; i++) {
            if (highest - cur >= windowSize) {
                return false;
            }
            int s = slot(cur);
            if (slotSeq[s] != cur) {
                return false;
            }
            byte state = slotState[s];
            if (state == SLOT_UNTAGGED) {
                cur--;
                continue;
            }
            if (state != SLOT_MEDIA) {
                return false;
            }
            int g = live(slotFrame[s]);
            if (g < 0) {
                return false;
            }
            if (g == f) {
                cur--;
                continue;
            }
            frames++;
            if (fSpatial[g] == sid) {
                int gt = fTemporal[g];
                if (gt == 0 || (fFlags[g] & F_KEYFRAME) != 0) {
                    return decodable(g);
                }
                if (!layerSync && gt <= t && !decodable(g)) {
                    return false;
                }
            }
            cur = (fFirstSeq[g] >= 0 ? fFirstSeq[g] : fMinSeq[g]) - 1;
        }
        return false;
    }

    /** Whether frame {@code g}'s timestamp is after frame {@code f}'s (a stale id match). */
    private boolean newer(int g, int f) {
        return (int) (fTimestamp[g] - fTimestamp[f]) > 0;
    }

    // ------------------------------------------------------------------------------------------
    // Eviction

    private void evictAged(long nowNanos) {
        while (oldestSerial < nextSerial) {
            int head = (int) (oldestSerial & frameMask);
            if (fSerial[head] == oldestSerial) {
                if (nowNanos - fFirstArrival[head] <= maxFrameAgeNanos) {
                    return;
                }
                evict(head);
            }
            oldestSerial++;
        }
    }

    private void evict(int f) {
        int flags = fFlags[f];
        if ((flags & F_COMPLETE) == 0) {
            framesIncomplete++;
        } else if ((flags & F_DECODABLE) == 0) {
            pending--;
        }
        byTimestamp.remove(timestampKey(fTimestamp[f], fSpatial[f]), f);
        if (fFrameId[f] >= 0) {
            byFrameId.remove(idKey(f, fFrameId[f]), f);
        }
        fSerial[f] = -1;
    }

    private void reset() {
        resets++;
        for (long serial = oldestSerial; serial < nextSerial; serial++) {
            int f = (int) (serial & frameMask);
            if (fSerial[f] == serial) {
                evict(f);
            }
        }
        oldestSerial = nextSerial;
        pending = 0;
        byTimestamp.clear();
        byFrameId.clear();
        Arrays.fill(slotSeq, -1);
        Arrays.fill(slotState, SLOT_EMPTY);
        lastKeyframeSeq = -1;
    }

    // ------------------------------------------------------------------------------------------
    // Queries

    /**
     * Whether asking for {@code sequenceNumber} again is pointless (see the class comment). A
     * sequence number ahead of the highest received answers {@code false}.
     */
    public boolean isTooLate(int sequenceNumber, long nowNanos) {
        if (!started) {
            return false;
        }
        int delta = (short) ((sequenceNumber & 0xFFFF) - (int) highest);
        if (delta > 0) {
            return false;
        }
        long ext = highest + delta;
        if (highest - ext >= windowSize) {
            return true;
        }
        if (lastKeyframeSeq >= 0 && ext < lastKeyframeSeq) {
            return true;
        }
        int s = slot(ext);
        if (slotSeq[s] != ext) {
            return false; // before the first packet tracked: nothing known
        }
        byte state = slotState[s];
        if (state == SLOT_MEDIA || state == SLOT_UNTAGGED) {
            return true;
        }
        long since = slotTime[s];
        // The missing packet belongs to the frame of the nearest packet below when that frame is open.
        for (long below = ext - 1; below > ext - 8 && highest - below < windowSize; below--) {
            int b = slot(below);
            if (slotSeq[b] != below || slotState[b] == SLOT_MISSING || slotState[b] == SLOT_EMPTY) {
                continue;
            }
            if (slotState[b] == SLOT_MEDIA) {
                int g = live(slotFrame[b]);
                if (g >= 0 && (fLastSeq[g] < 0 || fLastSeq[g] > ext)) {
                    since = Math.min(since, fFirstArrival[g]);
                }
            }
            break;
        }
        return nowNanos - since > maxFrameAgeNanos;
    }

    /** Same as {@link #isTooLate}, named as the NACK generator's hook. */
    public boolean tooLate(int sequenceNumber, long nowNanos) {
        return isTooLate(sequenceNumber, nowNanos);
    }

    /** The RTP timestamp of the newest key frame that became decodable, or -1 before any. */
    public long lastDecodableKeyframeTimestamp() {
        return lastKeyframeTimestamp;
    }

    /** Whether the layer frame at ({@code rtpTimestamp}, {@code spatialId}) is tracked and complete. */
    public boolean frameComplete(long rtpTimestamp, int spatialId) {
        return hasFlag(rtpTimestamp, spatialId, F_COMPLETE);
    }

    /** Whether the layer frame at ({@code rtpTimestamp}, {@code spatialId}) is tracked and decodable. */
    public boolean frameDecodable(long rtpTimestamp, int spatialId) {
        return hasFlag(rtpTimestamp, spatialId, F_DECODABLE);
    }

    /** Whether some layer frame of the picture at {@code rtpTimestamp} is tracked and all tracked ones are complete. */
    public boolean frameComplete(long rtpTimestamp) {
        return allLayers(rtpTimestamp, F_COMPLETE);
    }

    /** Whether some layer frame of the picture at {@code rtpTimestamp} is tracked and all tracked ones are decodable. */
    public boolean frameDecodable(long rtpTimestamp) {
        return allLayers(rtpTimestamp, F_DECODABLE);
    }

    /** Whether the layer frame at ({@code rtpTimestamp}, {@code spatialId}) is currently tracked. */
    public boolean isTracked(long rtpTimestamp, int spatialId) {
        return spatialId >= 0 && spatialId < MAX_SPATIAL
                && byTimestamp.get(timestampKey(rtpTimestamp & 0xFFFFFFFFL, spatialId)) >= 0;
    }

    private boolean hasFlag(long rtpTimestamp, int spatialId, int flag) {
        if (spatialId < 0 || spatialId >= MAX_SPATIAL) {
            return false;
        }
        int f = byTimestamp.get(timestampKey(rtpTimestamp & 0xFFFFFFFFL, spatialId));
        return f >= 0 && (fFlags[f] & flag) != 0;
    }

    private boolean allLayers(long rtpTimestamp, int flag) {
        boolean any = false;
        long ts = rtpTimestamp & 0xFFFFFFFFL;
        for (int sid = 0; sid < MAX_SPATIAL; sid++) {
            int f = byTimestamp.get(timestampKey(ts, sid));
            if (f >= 0) {
                if ((fFlags[f] & flag) == 0) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    /** Layer frames that became complete. */
    public long framesComplete() {
        return framesComplete;
    }

    /** Layer frames that became decodable (at completion or later). */
    public long framesDecodable() {
        return framesDecodable;
    }

    /** Complete key frames. */
    public long keyframes() {
        return keyframes;
    }

    /** Layer frames evicted before they completed. */
    public long framesIncomplete() {
        return framesIncomplete;
    }

    /** Packets ignored for being older than the window. */
    public long packetsTooOld() {
        return packetsTooOld;
    }

    /** Packets ignored as duplicates of one already in the window. */
    public long duplicates() {
        return duplicates;
    }

    /** Times the tracker started over after a sequence jump or restart. */
    public long resets() {
        return resets;
    }

    // ------------------------------------------------------------------------------------------

    private int slot(long ext) {
        return (int) ext & windowMask;
    }

    /** The frame index of a live serial, or -1. */
    private int live(long serial) {
        if (serial < 0) {
            return -1;
        }
        int f = (int) (serial & frameMask);
        return fSerial[f] == serial ? f : -1;
    }

    private static long timestampKey(long ts, int sid) {
        return (ts << 3) | sid;
    }

    /** VP9 picture ids are shared by the spatial layers of a picture; other ids are per frame. */
    private long idKey(int f, long id) {
        int layer = fCodec[f] == Codec.VP9.ordinal() + 1 ? fSpatial[f] : 0;
        return (id << 3) | layer;
    }
}
