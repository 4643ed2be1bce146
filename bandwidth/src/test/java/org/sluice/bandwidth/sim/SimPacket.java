package org.sluice.bandwidth.sim;

/** One packet crossing the simulated network. */
final class SimPacket {
    final int flow;
    final int transportSeq;
    final int size;
    final long sendNanos;
    long serviceStartNanos;
    long arrivalNanos;

    SimPacket(int flow, int transportSeq, int size, long sendNanos) {
        this.flow = flow;
        this.transportSeq = transportSeq;
        this.size = size;
        this.sendNanos = sendNanos;
    }
}
