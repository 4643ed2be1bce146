package org.sluice.loadgen.check;

/**
 * What the viewers on one event loop received: written only by that loop's thread. {@link #packets()}
 * may be read from any thread for progress (a volatile single-writer counter); the rest is read after
 * the loop has been asked for a snapshot ({@link #copy()} run on the loop).
 */
public final class LoopStats {

    private volatile long packets;
    private volatile boolean recordingLatency;
    private long bytes;
    private long stampFailures;
    private long undecryptable;
    private long rtcpPackets;
    private final LatencyHistogram latencyMicros = new LatencyHistogram();
    private final LatencyHistogram keyFrameLatencyMicros = new LatencyHistogram();
    private final LatencyHistogram otherLatencyMicros = new LatencyHistogram();
    private final LatencyHistogram loopLagMicros = new LatencyHistogram();

    /**
     * One validated RTP packet of {@code bytes} payload bytes that took {@code latencyNanos}, part of a video key
     * frame or not, its latency recorded if {@code inWindow}: another loop stats' {@link #recordingLatency()}, so
     * that stats kept besides the loop's own (one part's of a run) count the same packets in the window.
     */
    public void onValidPacket(int payloadBytes, long latencyNanos, boolean inWindow, boolean keyFrame) {
        packets++;
        bytes += payloadBytes;
        if (inWindow) {
            latencyMicros.record(latencyNanos / 1000);
            (keyFrame ? keyFrameLatencyMicros : otherLatencyMicros).record(latencyNanos / 1000);
        }
    }

    /** How late a periodic task on this loop ran: the loop's own backlog. */
    public void onLoopLag(long lagNanos) {
        if (recordingLatency) {
            loopLagMicros.record(lagNanos / 1000);
        }
    }

    /** A packet that decrypted but whose payload stamp did not check out. */
    public void onStampFailure() {
        packets++;
        stampFailures++;
    }

    /** An SRTP or SRTCP packet that did not authenticate or parse. */
    public void onUndecryptable() {
        undecryptable++;
    }

    public void onRtcp() {
        rtcpPackets++;
    }

    /** Starts or stops recording latency (the measurement window); any thread. */
    public void recordLatency(boolean on) {
        recordingLatency = on;
    }

    /** Whether latency is being recorded (the measurement window); any thread. */
    public boolean recordingLatency() {
        return recordingLatency;
    }

    public long packets() {
        return packets;
    }

    public long bytes() {
        return bytes;
    }

    public long stampFailures() {
        return stampFailures;
    }

    public long undecryptable() {
        return undecryptable;
    }

    public long rtcpPackets() {
        return rtcpPackets;
    }

    public LatencyHistogram latencyMicros() {
        return latencyMicros;
    }

    /** The latency of the packets of video key frames alone (part of {@link #latencyMicros()}). */
    public LatencyHistogram keyFrameLatencyMicros() {
        return keyFrameLatencyMicros;
    }

    /** The latency of all other packets: inter frames' and audio. */
    public LatencyHistogram otherLatencyMicros() {
        return otherLatencyMicros;
    }

    public LatencyHistogram loopLagMicros() {
        return loopLagMicros;
    }

    /** A copy; call on the owning loop. */
    public LoopStats copy() {
        LoopStats out = new LoopStats();
        out.packets = packets;
        out.bytes = bytes;
        out.stampFailures = stampFailures;
        out.undecryptable = undecryptable;
        out.rtcpPackets = rtcpPackets;
        out.latencyMicros.add(latencyMicros);
        out.keyFrameLatencyMicros.add(keyFrameLatencyMicros);
        out.otherLatencyMicros.add(otherLatencyMicros);
        out.loopLagMicros.add(loopLagMicros);
        return out;
    }

    /** Adds {@code other}'s counts to this one. */
    public void add(LoopStats other) {
        packets += other.packets;
        bytes += other.bytes;
        stampFailures += other.stampFailures;
        undecryptable += other.undecryptable;
        rtcpPackets += other.rtcpPackets;
        latencyMicros.add(other.latencyMicros);
        keyFrameLatencyMicros.add(other.keyFrameLatencyMicros);
        otherLatencyMicros.add(other.otherLatencyMicros);
        loopLagMicros.add(other.loopLagMicros);
    }
}
