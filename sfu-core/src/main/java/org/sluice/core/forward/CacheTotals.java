package org.sluice.core.forward;

import java.util.concurrent.atomic.LongAdder;

/**
 * What every {@link PacketCache} of an engine holds, summed across loops for metrics: packets and
 * bytes. Striped adders, so loops updating them do not contend.
 */
public final class CacheTotals {

    private final LongAdder packets = new LongAdder();
    private final LongAdder bytes = new LongAdder();

    void added(int size) {
        packets.increment();
        bytes.add(size);
    }

    void removed(int size) {
        packets.decrement();
        bytes.add(-size);
    }

    public long packets() {
        return packets.sum();
    }

    public long bytes() {
        return bytes.sum();
    }
}
