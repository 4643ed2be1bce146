package org.sluice.core.peer;

import org.sluice.bandwidth.allocation.AllocationInput;
import org.sluice.bandwidth.allocation.AllocationTarget;
import org.sluice.bandwidth.allocation.BitrateAllocator;
import org.sluice.bandwidth.allocation.PauseReason;
import org.sluice.bandwidth.allocation.TrackKind;
import org.sluice.bandwidth.allocation.VideoPriority;
import org.sluice.core.forward.InboundStream;
import org.sluice.core.forward.LayerRates;
import org.sluice.core.forward.MediaKind;
import org.sluice.core.forward.MediaSlot;
import org.sluice.core.forward.OutboundStream;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Divides one receiver's bandwidth estimate over the streams it receives, on the receiver's loop, about twice a
 * second: audio first, then video by rank (screen share, active speaker, others) and the subscriber's priority,
 * each on the best layer that fits, with 15% headroom before an upgrade ({@link BitrateAllocator}). Layer
 * bitrates are those measured at ingress ({@link InboundStream#rates()}); a layer whose packets stopped is not a
 * candidate. The outcome goes to each stream: the simulcast layer it may use ({@link OutboundStream#bandwidthLayer})
 * and the temporal/spatial limit within it; streams the leg moves itself (WHEP viewers) are moved at once. An
 * upgrade that needs more than the estimate asks for a probe first. A video whose lowest layer has not fit in what
 * audio and the more important videos left for {@link #PAUSE_AFTER_NANOS} is held
 * ({@link OutboundStream#pauseForBandwidth}) until it fits with the headroom; audio never is.
 */
final class LegAllocator {

    /** What an audio stream is counted at. */
    static final long AUDIO_BPS = 50_000;
    /**
     * How long a video's lowest layer must have failed to fit before the video is held: a momentary dip (an over-use
     * seen by a receiver starved of CPU, the keyframes of a video's first second) costs its layers, not its picture.
     * Four allocation rounds; a real loss of bandwidth over-sends the lowest layer that long.
     */
    static final long PAUSE_AFTER_NANOS = 2_000_000_000L;
    /** A layer whose last packet is older than this is not arriving. */
    private static final long LIVE_NANOS = 1_500_000_000L;
    private static final VideoPriority[] PRIORITIES = {VideoPriority.SCREEN, VideoPriority.SPEAKER,
            VideoPriority.OTHER};

    private final BitrateAllocator allocator = new BitrateAllocator();
    private AllocationInput[] inputs = new AllocationInput[0];
    private AllocationTarget[] targets = new AllocationTarget[0];
    private long[][][] bitrates = new long[0][][];
    private final LongAdder bandwidthPauses;
    private long allocatedBps;
    private long rounds;

    /** @param bandwidthPauses counts the videos held because not even their lowest layer fit */
    LegAllocator(LongAdder bandwidthPauses) {
        this.bandwidthPauses = bandwidthPauses;
    }

    /**
     * Allocates {@code availableBps} over {@code streams} ({@code estimated}: it is the receiver's estimate, not a
     * stand-in for a receiver that gives no feedback); {@code moveStreams}: the leg moves its streams between
     * their layers itself (otherwise the control plane reads {@link OutboundStream#bandwidthLayer}). Returns the
     * probe target when an upgrade needs more than the estimate, else 0.
     */
    long allocate(long availableBps, boolean estimated, List<OutboundStream> streams, long nowNanos,
                  boolean moveStreams, int loopIndex) {
        int n = streams.size();
        ensure(n);
        for (int i = 0; i < n; i++) {
            describe(streams.get(i), inputs[i], bitrates[i], nowNanos);
        }
        allocator.allocate(availableBps, inputs, targets, n);
        for (int i = 0; i < n; i++) {
            OutboundStream stream = streams.get(i);
            if (stream.slot().kind() == MediaKind.VIDEO && inputs[i].layerBitrates() != null) {
                apply(stream, targets[i], estimated, moveStreams, loopIndex, nowNanos);
            }
        }
        allocatedBps = allocator.allocatedBps();
        rounds++;
        return allocator.probeNeeded() ? allocator.probeTargetBps() : 0;
    }

    private void describe(OutboundStream stream, AllocationInput input, long[][] layers, long now) {
        if (stream.slot().kind() == MediaKind.AUDIO) {
            layers[0][0] = AUDIO_BPS;
            clear(layers, 1);
            input.reset(stream.ssrc(), TrackKind.AUDIO).layerBitrates(layers).limits(0, 0).paused(stream.isPaused());
            return;
        }
        MediaSlot[] slots = stream.layerSlots();
        int currentSpatial = 0;
        int maxSpatial;
        if (slots.length > 1) {
            for (int s = 0; s < slots.length; s++) {
                if (slots[s] == stream.slot()) {
                    currentSpatial = s;
                }
            }
            for (int s = 0; s < LayerRates.LAYERS; s++) {
                InboundStream source = s < slots.length ? live(slots[s], now) : null;
                if (source != null && s > currentSpatial && !upgradeCandidate(slots[s])) {
                    source = null;
                }
                for (int t = 0; t < LayerRates.LAYERS; t++) {
                    layers[s][t] = source == null ? 0 : measured(source.rates().bitsPerSecond(0, t), s);
                }
            }
            maxSpatial = slots.length - 1;
            onlyFullFrameRateAboveLowest(layers, Math.min(LayerRates.LAYERS - 1, stream.wishedTemporal()));
        } else {
            InboundStream source = live(stream.slot(), now);
            LayerRates rates = source == null ? LayerRates.NONE : source.rates();
            for (int s = 0; s < LayerRates.LAYERS; s++) {
                for (int t = 0; t < LayerRates.LAYERS; t++) {
                    layers[s][t] = rates.bitsPerSecond(s, t);
                }
            }
            maxSpatial = Math.min(LayerRates.LAYERS - 1, stream.wishedSpatial());
        }
        input.reset(stream.ssrc(), TrackKind.VIDEO)
                .priority(PRIORITIES[Math.max(0, Math.min(2, stream.rank()))])
                .layerBitrates(layers)
                .limits(maxSpatial, Math.min(LayerRates.LAYERS - 1, stream.wishedTemporal()))
                .paused(stream.isPaused());
        if (!stream.isPausedForBandwidth()) {
            input.current(currentSpatial, LayerRates.LAYERS - 1); // a held stream resumes only with headroom
        }
    }

    /**
     * Above the lowest arriving simulcast layer, only each layer's highest temporal layer (within the wished one) is
     * offered to the allocator, as in Jitsi's: a higher resolution at a fraction of the frame rate is no improvement
     * on a lower one at the full rate, and Chrome's simulcast layers each carry three temporal layers (named by the
     * dependency descriptor). The lowest layer keeps its temporal steps, so a narrow link still gets some video.
     */
    static void onlyFullFrameRateAboveLowest(long[][] layers, int maxTemporal) {
        boolean lowestSeen = false;
        for (int s = 0; s < layers.length; s++) {
            int top = -1;
            for (int t = 0; t <= Math.min(maxTemporal, layers[s].length - 1); t++) {
                if (layers[s][t] > 0) {
                    top = t;
                }
            }
            if (top < 0) {
                continue;
            }
            if (lowestSeen) {
                for (int t = 0; t < top; t++) {
                    layers[s][t] = 0;
                }
            }
            lowestSeen = true;
        }
    }

    /**
     * A layer that arrives but whose rate is not measured yet (its first second) counts as nearly free, so it is not
     * taken for a missing layer: the allocator limits only by what it has measured.
     */
    private static long measured(long bitsPerSecond, int layer) {
        return bitsPerSecond > 0 ? bitsPerSecond : 1 + layer;
    }

    /**
     * Whether a live layer above the current one may be moved up to: not while its publisher is asked to stop it, or
     * has just been let send it again ({@link MediaSlot#isWithheld}: its rate falls on the way down and measures
     * nearly free when it is back, so it would look cheap either way).
     */
    private static boolean upgradeCandidate(MediaSlot slot) {
        return !slot.isWithheld();
    }

    private static InboundStream live(MediaSlot slot, long now) {
        InboundStream source = slot.source();
        return source != null && now - source.lastArrivalNanos() < LIVE_NANOS ? source : null;
    }

    private void apply(OutboundStream stream, AllocationTarget target, boolean estimated, boolean move,
                       int loopIndex, long nowNanos) {
        MediaSlot[] slots = stream.layerSlots();
        boolean unfit = target.isPaused() && target.reason() == PauseReason.BANDWIDTH_LIMITED;
        if (!unfit) {
            stream.bandwidthFits();
        }
        if (target.isPaused() && target.reason() != PauseReason.BANDWIDTH_LIMITED) {
            stream.pauseForBandwidth(false);
            stream.bandwidthLayer(Integer.MAX_VALUE); // nothing arrives or the receiver paused it: no cap to set
            stream.limitLayersForBandwidth(OutboundStream.ALL_LAYERS, OutboundStream.ALL_LAYERS);
            return;
        }
        if (target.isPaused()) {
            // Not even the lowest layer fits after audio and the more important videos: first kept on the lowest
            // layer, then, once that has lasted PAUSE_AFTER_NANOS, held until a layer fits (with headroom), parked on
            // the lowest layer so that resuming asks the least of the link.
            boolean hold = stream.isPausedForBandwidth()
                    || nowNanos - stream.bandwidthUnfitSince(nowNanos) >= PAUSE_AFTER_NANOS;
            if (hold && estimated && stream.pauseForBandwidth(true)) {
                bandwidthPauses.increment();
            }
            stream.bandwidthLayer(0);
            stream.limitLayersForBandwidth(0, 0);
            if (move && slots.length > 1 && stream.slot() != slots[0]) {
                stream.moveTo(slots[0], loopIndex);
            }
            return;
        }
        stream.pauseForBandwidth(false);
        if (slots.length > 1) {
            int layer = Math.max(0, Math.min(target.spatial(), slots.length - 1));
            // Without an estimate only liveness chose the layer: no bandwidth cap for the control plane to apply.
            stream.bandwidthLayer(estimated ? layer : Integer.MAX_VALUE);
            LayerRates rates = ratesOf(slots[layer]);
            stream.limitLayersForBandwidth(OutboundStream.ALL_LAYERS,
                    belowTop(target.temporal(), rates.highestTemporal(0)));
            if (move && stream.slot() != slots[layer]) {
                stream.moveTo(slots[layer], loopIndex);
            }
        } else {
            // A single stream with layers inside (VP9 SVC, VP8 temporal layers) is counted at the layers the
            // allocator picks, but not limited yet: an upgrade back needs a probe the estimate reliably answers,
            // and until then a limit set in a dip would hold the stream down.
            stream.limitLayersForBandwidth(OutboundStream.ALL_LAYERS, OutboundStream.ALL_LAYERS);
        }
    }

    private static LayerRates ratesOf(MediaSlot slot) {
        InboundStream source = slot.source();
        return source == null ? LayerRates.NONE : source.rates();
    }

    /**
     * A limit only where it leaves out a layer the source has: at or above its highest measured layer (or with
     * nothing measured) there is no limit, so a stream without layers keeps its untouched, zero-copy path.
     */
    private static int belowTop(int limit, int highestMeasured) {
        return highestMeasured < 0 || limit >= highestMeasured ? OutboundStream.ALL_LAYERS : limit;
    }

    private void ensure(int n) {
        if (inputs.length >= n) {
            return;
        }
        int size = Math.max(n, inputs.length * 2);
        AllocationInput[] moreInputs = Arrays.copyOf(inputs, size);
        AllocationTarget[] moreTargets = Arrays.copyOf(targets, size);
        long[][][] moreBitrates = Arrays.copyOf(bitrates, size);
        for (int i = inputs.length; i < size; i++) {
            moreInputs[i] = new AllocationInput();
            moreTargets[i] = new AllocationTarget();
            moreBitrates[i] = new long[LayerRates.LAYERS][LayerRates.LAYERS];
        }
        inputs = moreInputs;
        targets = moreTargets;
        bitrates = moreBitrates;
    }

    private static void clear(long[][] layers, int fromTemporal) {
        for (int s = 0; s < layers.length; s++) {
            for (int t = s == 0 ? fromTemporal : 0; t < layers[s].length; t++) {
                layers[s][t] = 0;
            }
        }
    }

    /** What the last round allocated, in bits per second; read racily. */
    long allocatedBps() {
        return allocatedBps;
    }

    long rounds() {
        return rounds;
    }
}
