package org.sluice.loadgen.scenario;

import java.util.List;

/**
 * Everything a run measured. Rates are over the measurement window; loss and checks over the whole
 * run (from each viewer's first packet to the publishers' last). -1 or NaN marks what could not be read.
 * A run of several parts at once (mixed: broadcast rooms and conference rooms) reports its totals here and
 * each part's own figures in {@code parts}; other runs have no parts.
 */
public record RunResult(Scenario scenario, Setup setup, Media media, Latency latency, Server server,
                        Generator generator, Churn churn, List<Part> parts) {

    public RunResult {
        parts = List.copyOf(parts);
    }

    /** A run of one part. */
    public RunResult(Scenario scenario, Setup setup, Media media, Latency latency, Server server, Generator generator,
                     Churn churn) {
        this(scenario, setup, media, latency, server, generator, churn, List.of());
    }

    /** A run of one part without churn. */
    public RunResult(Scenario scenario, Setup setup, Media media, Latency latency, Server server, Generator generator) {
        this(scenario, setup, media, latency, server, generator, Churn.NONE);
    }

    /**
     * One part of a run with several: its name ("broadcast", "conference"), its rooms and receivers per room
     * (viewers, participants), its sessions' setup (publishers included), what its receivers got (undecryptable
     * packets are counted for the whole run only), their added latency and validated packets per second in the
     * window.
     */
    public record Part(String name, int rooms, int receiversPerRoom, Setup setup, Media media, Latency latency,
                       double receivedPerSecond) {
    }

    /**
     * Viewers replaced while the media flowed ({@code perSecond} 0: none): how many left (each tallied up to its
     * last packet), how many new ones joined, how many joins failed, and the joins' setup p50 and p99.
     */
    public record Churn(double perSecond, int left, int joined, int failedJoins, double joinP50Millis,
                        double joinP99Millis) {
        public static final Churn NONE = new Churn(0, 0, 0, 0, Double.NaN, Double.NaN);
    }

    public record Scenario(String name, int rooms, int viewersPerRoom, MediaSettings media, double warmupSeconds,
                           double durationSeconds) {
    }

    /** Session setup: offer to SRTP installed, and the medians of its parts. */
    public record Setup(int attempted, int connected, int failed, double p50Millis, double p99Millis,
                        double maxMillis, double signalingP50Millis, double iceP50Millis, double dtlsP50Millis,
                        double totalSeconds, String firstError) {
    }

    /**
     * Media: what publishers sent, what viewers should have received from their first packet on, what
     * they did receive (validated), and what failed a check.
     */
    public record Media(long sentPackets, long expected, long received, long lost, double lossRatio,
                        long checkFailures, long undecryptable, long late, long originMismatches,
                        long streamSwitches, int viewersWithoutVideo, long keyFrames, long keyFrameRequests,
                        long publisherSendFailures) {

        /** The same counts with {@code count} undecryptable packets. */
        public Media withUndecryptable(long count) {
            return new Media(sentPackets, expected, received, lost, lossRatio, checkFailures, count, late,
                    originMismatches, streamSwitches, viewersWithoutVideo, keyFrames, keyFrameRequests,
                    publisherSendFailures);
        }

        /** The counts of this and {@code other} together (receivers of two parts, each tallied on its own). */
        public Media plus(Media other) {
            long sumExpected = expected + other.expected;
            long sumLost = lost + other.lost;
            return new Media(sentPackets + other.sentPackets, sumExpected, received + other.received, sumLost,
                    sumExpected == 0 ? Double.NaN : (double) sumLost / sumExpected, checkFailures + other.checkFailures,
                    undecryptable + other.undecryptable, late + other.late, originMismatches + other.originMismatches,
                    streamSwitches + other.streamSwitches, viewersWithoutVideo + other.viewersWithoutVideo,
                    keyFrames + other.keyFrames, keyFrameRequests + other.keyFrameRequests,
                    publisherSendFailures + other.publisherSendFailures);
        }
    }

    /**
     * Added latency (publisher's stamp to the viewer's read) in the measurement window, of all packets, and apart
     * for the packets of video key frames and all others (inter frames and audio).
     */
    public record Latency(Quantiles all, Quantiles keyFramePackets, Quantiles otherPackets) {

        public long samples() {
            return all.samples();
        }

        public double p50Millis() {
            return all.p50Millis();
        }

        public double p99Millis() {
            return all.p99Millis();
        }

        public double p999Millis() {
            return all.p999Millis();
        }

        public double maxMillis() {
            return all.maxMillis();
        }
    }

    /** Quantiles of one set of latency samples. */
    public record Quantiles(long samples, double p50Millis, double p99Millis, double p999Millis, double maxMillis) {
    }

    /**
     * The server during the window; {@code pid} -1 when unknown. Socket drops (datagrams its media
     * socket's full receive queue dropped, over the whole run) and queued bytes (at the window's end)
     * come from {@code /proc/net/udp}. Of the CPU, {@code mediaLoopMicrosPerForwardedPacket} is what the media event
     * loop threads spent (the forwarding and the kernel's work done on their behalf), and {@code jitCores} what
     * HotSpot's compiler threads did (still compiling is the main reason one run differs from the next).
     */
    public record Server(long pid, double cpuMicrosPerForwardedPacket, double cpuCores, double forwardedPerSecond,
                         double rssMegabytes, long gcPauses, double gcPauseMillis, double gcPauseMaxMillis,
                         long droppedPackets, double sentPerSecond, long socketDrops, long socketQueueBytes,
                         double mediaLoopMicrosPerForwardedPacket, double jitCores) {
    }

    /**
     * The generator itself during the window: its CPU, how late its loops ran periodic tasks (its own
     * backlog), and its sockets' kernel drops (whole run) and queued bytes (window end).
     */
    public record Generator(boolean epoll, boolean udpGro, int eventLoops, double receivedPerSecond, double cpuCores,
                            double cpuMicrosPerReceivedPacket, double loopLagP99Millis, double loopLagMaxMillis,
                            long socketDrops, long socketQueueBytes) {
    }
}
