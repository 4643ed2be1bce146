package org.sluice.bandwidth.allocation;

/**
 * Divides one receiver's available bitrate (the congestion controller's estimate) over its
 * subscriptions: which layer of each video to forward, which videos to pause. A function of its
 * inputs (no state is carried from one call to the next except reusable scratch space), run on the
 * receiver leg's loop whenever the estimate, a layer rate or a preference changes.
 *
 * <h2>Order</h2>
 * Audio first: every audio subscription not paused by its subscriber is allocated its rate before
 * any video, and is never paused by the allocator (video is paused instead, so audio never
 * starves). Then video by importance: {@link VideoPriority#SCREEN}, {@link VideoPriority#SPEAKER},
 * {@link VideoPriority#OTHER}, then higher {@link AllocationInput#clientPriority()}, then input
 * order.
 *
 * <h2>Two phases</h2>
 * Like mediasoup's allocation, in provisional rounds before anything is applied:
 * <ol>
 * <li>Every video gets its lowest layer in that order; one whose lowest layer does not fit in what
 *     is left is paused ({@link PauseReason#BANDWIDTH_LIMITED}). Paused are thus the least important
 *     first, but a less important video whose lowest layer is cheaper can still fit after a more
 *     important one did not: some video beats none.</li>
 * <li>Upgrades, step by step through the layers in (spatial, temporal) order within the
 *     subscription's limits: a group of equally important videos (same priority and client
 *     priority) is upgraded one step each, round after round, until none of them can go further;
 *     only then does the next group get what is left. So the speaker reaches its best layer before
 *     the others improve, and equals share fairly.</li>
 * </ol>
 *
 * <h2>Hysteresis</h2>
 * Moving to a layer above the one being forwarded ({@link AllocationInput#current}) needs headroom:
 * the layer's rate × (1 + {@code headroomPercent}/100) must fit in place of the provisional
 * layer's; only the rate itself is then charged. Layers up to the current one need only fit. So a
 * subscription goes down as soon as the estimate no longer carries its layer, and comes back only
 * when there is clearly room, which keeps an estimate wavering around a layer's rate from switching
 * layers (and asking for a keyframe) every time. Resuming a paused video is an upgrade too.
 *
 * <h2>Probing</h2>
 * When a step was refused for lack of bandwidth, {@link #probeNeeded()} is set and
 * {@link #probeTargetBps()} is the total the most important refused step would need: everything
 * allocated plus that step (with its headroom). A probe to that rate tells whether the link can
 * carry it; if so, the next estimate lets the step happen.
 */
public final class BitrateAllocator {

    /** The default headroom for an upgrade: 15 %. */
    public static final int DEFAULT_HEADROOM_PERCENT = 15;

    private static final int NONE = -1;

    private final int headroomPercent;

    private int[] order = new int[16];
    private int[] provisionalSpatial = new int[16];
    private int[] provisionalTemporal = new int[16];
    private long[] provisionalRate = new long[16];
    private boolean[] finished = new boolean[16];

    private boolean probeNeeded;
    private long probeStepBps;
    private long allocatedBps;
    private long audioBps;

    public BitrateAllocator() {
        this(DEFAULT_HEADROOM_PERCENT);
    }

    public BitrateAllocator(int headroomPercent) {
        if (headroomPercent < 0) {
            throw new IllegalArgumentException("negative headroom");
        }
        this.headroomPercent = headroomPercent;
    }

    /**
     * Allocates {@code availableBps} over {@code inputs[0..count)}, writing the decision for
     * {@code inputs[i]} into {@code targets[i]}.
     */
    public void allocate(long availableBps, AllocationInput[] inputs, AllocationTarget[] targets, int count) {
        if (count > inputs.length || count > targets.length) {
            throw new IllegalArgumentException("count exceeds the arrays");
        }
        ensureCapacity(count);
        probeNeeded = false;
        probeStepBps = 0;
        audioBps = 0;
        long budget = availableBps;

        // Audio first, always.
        int videos = 0;
        for (int i = 0; i < count; i++) {
            AllocationInput in = inputs[i];
            if (in.kind() == TrackKind.AUDIO) {
                if (in.isPaused()) {
                    targets[i].set(in.id(), NONE, NONE, PauseReason.PREFERENCE_PAUSED, 0);
                } else {
                    long rate = in.bitrate(0, 0);
                    audioBps += rate;
                    budget -= rate;
                    targets[i].set(in.id(), 0, 0, PauseReason.NONE, rate);
                }
            } else if (in.isPaused()) {
                targets[i].set(in.id(), NONE, NONE, PauseReason.PREFERENCE_PAUSED, 0);
            } else if (!lowestLayer(in, i)) {
                targets[i].set(in.id(), NONE, NONE, PauseReason.NO_LAYERS, 0);
            } else {
                order[videos++] = i;
            }
        }
        sortByImportance(inputs, videos);

        // Phase 1: the lowest layer of each video, most important first.
        for (int k = 0; k < videos; k++) {
            int i = order[k];
            long rate = provisionalRate[i];
            long need = need(inputs[i], provisionalSpatial[i], provisionalTemporal[i], rate, 0);
            if (need <= budget) {
                budget -= rate;
                finished[i] = false;
            } else {
                refused(need);
                provisionalSpatial[i] = NONE;
                provisionalRate[i] = 0;
                finished[i] = true;
                targets[i].set(inputs[i].id(), NONE, NONE, PauseReason.BANDWIDTH_LIMITED, 0);
            }
        }

        // Phase 2: upgrades, group by group, one step per member per round.
        int groupStart = 0;
        while (groupStart < videos) {
            int groupEnd = groupStart + 1;
            while (groupEnd < videos && compare(inputs, order[groupStart], order[groupEnd]) == 0) {
                groupEnd++;
            }
            boolean progress = true;
            while (progress) {
                progress = false;
                for (int k = groupStart; k < groupEnd; k++) {
                    int i = order[k];
                    if (finished[i]) {
                        continue;
                    }
                    budget = step(inputs[i], i, budget);
                    progress |= !finished[i];
                }
            }
            groupStart = groupEnd;
        }

        long video = 0;
        for (int k = 0; k < videos; k++) {
            int i = order[k];
            if (provisionalSpatial[i] != NONE) {
                video += provisionalRate[i];
                targets[i].set(inputs[i].id(), provisionalSpatial[i], provisionalTemporal[i], PauseReason.NONE,
                        provisionalRate[i]);
            }
        }
        allocatedBps = audioBps + video;
    }

    /** Tries one step up for subscription {@code i}; returns the budget left. Marks it finished when it cannot. */
    private long step(AllocationInput in, int i, long budget) {
        int s = provisionalSpatial[i];
        int t = provisionalTemporal[i];
        int next = nextLayer(in, s, t);
        if (next == NONE) {
            finished[i] = true;
            return budget;
        }
        int ns = next >>> 16;
        int nt = next & 0xFFFF;
        long rate = in.bitrate(ns, nt);
        long need = need(in, ns, nt, rate, provisionalRate[i]);
        if (need > budget) {
            refused(need);
            finished[i] = true;
            return budget;
        }
        budget -= rate - provisionalRate[i];
        provisionalSpatial[i] = ns;
        provisionalTemporal[i] = nt;
        provisionalRate[i] = rate;
        return budget;
    }

    /** What moving to layer (s, t) at {@code rate} from a layer costing {@code from} needs: with headroom above current. */
    private long need(AllocationInput in, int s, int t, long rate, long from) {
        boolean upgrade = in.currentSpatial() < 0 || s > in.currentSpatial()
                || (s == in.currentSpatial() && t > in.currentTemporal());
        long required = upgrade ? rate + (rate * headroomPercent + 99) / 100 : rate;
        return required - from;
    }

    private void refused(long need) {
        if (!probeNeeded) {
            probeNeeded = true;
            probeStepBps = need;
        }
    }

    /** Sets the provisional layer of subscription {@code i} to its lowest usable layer; false when none arrives. */
    private boolean lowestLayer(AllocationInput in, int i) {
        long[][] layers = in.layerBitrates();
        int fallback = NONE;
        for (int s = 0; s < layers.length; s++) {
            long[] row = layers[s];
            for (int t = 0; row != null && t < row.length; t++) {
                if (row[t] <= 0) {
                    continue;
                }
                if (s <= in.maxSpatial() && t <= in.maxTemporal()) {
                    provisionalSpatial[i] = s;
                    provisionalTemporal[i] = t;
                    provisionalRate[i] = row[t];
                    return true;
                }
                if (fallback == NONE) {
                    fallback = s << 16 | t;
                }
            }
        }
        if (fallback == NONE) {
            return false;
        }
        // Nothing arriving within the limits: the lowest arriving layer rather than no video.
        provisionalSpatial[i] = fallback >>> 16;
        provisionalTemporal[i] = fallback & 0xFFFF;
        provisionalRate[i] = in.bitrate(provisionalSpatial[i], provisionalTemporal[i]);
        return true;
    }

    /** The next arriving layer after (s, t) in (spatial, temporal) order within the limits, or NONE. */
    private static int nextLayer(AllocationInput in, int s, int t) {
        long[][] layers = in.layerBitrates();
        int maxS = Math.min(in.maxSpatial(), layers.length - 1);
        if (s > maxS || t > in.maxTemporal()) {
            return NONE; // a fallback layer above the limits: stay there
        }
        for (int ns = s; ns <= maxS; ns++) {
            long[] row = layers[ns];
            if (row == null) {
                continue;
            }
            int maxT = Math.min(in.maxTemporal(), row.length - 1);
            for (int nt = ns == s ? t + 1 : 0; nt <= maxT; nt++) {
                if (row[nt] > 0) {
                    return ns << 16 | nt;
                }
            }
        }
        return NONE;
    }

    /** Insertion sort of order[0..n) by importance: small n, no allocation, stable. */
    private void sortByImportance(AllocationInput[] inputs, int n) {
        for (int k = 1; k < n; k++) {
            int i = order[k];
            int j = k - 1;
            while (j >= 0 && compare(inputs, order[j], i) > 0) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = i;
        }
    }

    /** Negative when {@code a} is more important; 0 for the same priority and client priority. */
    private static int compare(AllocationInput[] inputs, int a, int b) {
        AllocationInput x = inputs[a];
        AllocationInput y = inputs[b];
        int byClass = Integer.compare(x.priority().ordinal(), y.priority().ordinal());
        return byClass != 0 ? byClass : Integer.compare(y.clientPriority(), x.clientPriority());
    }

    private void ensureCapacity(int count) {
        int capacity = order.length;
        if (count <= capacity) {
            return;
        }
        while (capacity < count) {
            capacity <<= 1;
        }
        order = new int[capacity];
        provisionalSpatial = new int[capacity];
        provisionalTemporal = new int[capacity];
        provisionalRate = new long[capacity];
        finished = new boolean[capacity];
    }

    /** Whether the last allocation refused a step for lack of bandwidth. */
    public boolean probeNeeded() {
        return probeNeeded;
    }

    /**
     * The total bitrate that would let the most important refused step happen: everything the last
     * allocation allocated plus that step's need. 0 when no probe is needed.
     */
    public long probeTargetBps() {
        return probeNeeded ? allocatedBps + probeStepBps : 0;
    }

    /** The bitrate the last allocation allocated, audio and video. May exceed the estimate when audio alone does. */
    public long allocatedBps() {
        return allocatedBps;
    }

    /** The part of {@link #allocatedBps()} that is audio. */
    public long audioBps() {
        return audioBps;
    }
}
