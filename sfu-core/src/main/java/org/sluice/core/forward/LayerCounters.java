package org.sluice.core.forward;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the receivers' layer selections ({@link LayerSelector}) leave out, engine-wide: frames and packets above a
 * receiver's temporal or spatial target, and dependency descriptors that could not be resolved (malformed, or
 * before the stream's structure arrived), whose packets are dropped while a selection is in force. Striped adders
 * updated on the media loops, read by metrics.
 */
public final class LayerCounters {

    /** Frames dropped by layer selection (counted at the frame's last packet). */
    public final LongAdder framesDropped = new LongAdder();
    /** Packets dropped by layer selection. */
    public final LongAdder packetsDropped = new LongAdder();
    /** Dependency descriptors a selection could not resolve. */
    public final LongAdder descriptorsUnresolved = new LongAdder();
}
