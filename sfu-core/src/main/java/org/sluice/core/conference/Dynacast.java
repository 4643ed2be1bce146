package org.sluice.core.conference;

import java.util.Arrays;

/**
 * Which simulcast layers of one published video track the publisher is asked to send (dynacast): a layer no
 * subscriber needs is switched off at the publisher ({@code RTCRtpEncodingParameters.active = false}), so it costs
 * neither the publisher's uplink nor its encoder; it is switched on again as soon as someone needs it.
 *
 * <p>Switching on happens at the first evaluation that finds the layer needed; switching off only once the layer
 * has not been needed for {@link #OFF_DELAY_NANOS}, so a subscriber that changes its mind, or a placement that
 * wavers for a moment, does not toggle the publisher's encoder. Every layer starts on (the publisher sends all it
 * declared). A layer switched on again soon after it went off waits longer before it goes off the next time
 * ({@link #FLAP_FACTOR}). Control plane, guarded by the room's lock; the clock is passed in.
 */
final class Dynacast {

    /** How long a layer must be unneeded before it is switched off. */
    static final long OFF_DELAY_NANOS = 3_000_000_000L;

    /**
     * A layer switched on again within this long of being switched off is flapping (a subscriber's allocator moving
     * between it and another layer): its next switch-off waits {@link #FLAP_FACTOR} times the delay, so the
     * publisher's encoder is not reconfigured every few seconds.
     */
    static final long FLAP_WINDOW_NANOS = 30_000_000_000L;
    static final int FLAP_FACTOR = 4;
    private static final long NEVER = Long.MIN_VALUE;

    private final boolean[] active;
    /** Whether each layer was last switched on soon after it was switched off. */
    private final boolean[] flapping;
    /** When each layer was last switched off ({@link #NEVER}: not yet). */
    private final long[] lastOff;
    /** When each layer was last needed (or switched on). */
    private final long[] lastNeeded;
    private final long offDelayNanos;
    private long toggles;

    /** All {@code layers} on, each counted as needed at {@code nowNanos}. */
    Dynacast(int layers, long nowNanos) {
        this(layers, nowNanos, OFF_DELAY_NANOS);
    }

    Dynacast(int layers, long nowNanos, long offDelayNanos) {
        this.active = new boolean[layers];
        this.lastNeeded = new long[layers];
        this.offDelayNanos = offDelayNanos;
        this.flapping = new boolean[layers];
        this.lastOff = new long[layers];
        Arrays.fill(lastOff, NEVER);
        Arrays.fill(active, true);
        Arrays.fill(lastNeeded, nowNanos);
    }

    /**
     * Takes the layers needed now ({@code needed[i]}: some subscriber's target is layer {@code i}); returns the
     * number of layers switched on or off by it (0: the publisher needs no new message).
     */
    int update(boolean[] needed, long nowNanos) {
        int changed = 0;
        for (int i = 0; i < active.length; i++) {
            boolean wanted = i < needed.length && needed[i];
            if (wanted) {
                lastNeeded[i] = nowNanos;
                if (!active[i]) {
                    active[i] = true;
                    flapping[i] = lastOff[i] != NEVER && nowNanos - lastOff[i] < FLAP_WINDOW_NANOS;
                    changed++;
                }
            } else if (active[i] && nowNanos - lastNeeded[i] >= offDelay(i)) {
                active[i] = false;
                lastOff[i] = nowNanos;
                changed++;
            }
        }
        toggles += changed;
        return changed;
    }

    private long offDelay(int layer) {
        return flapping[layer] ? offDelayNanos * FLAP_FACTOR : offDelayNanos;
    }

    /** Whether layer {@code i} is to be sent now. */
    boolean isActive(int i) {
        return active[i];
    }

    int layers() {
        return active.length;
    }

    /** Layers switched on or off so far. */
    long toggles() {
        return toggles;
    }
}
