package org.sluice.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.sluice.bandwidth.feedback.TransportCcRecorder;
import org.sluice.rtp.nack.NackGenerator;
import org.sluice.rtp.nack.NackSettings;
import org.sluice.rtp.stats.ReceiverStatistics;

import java.util.concurrent.TimeUnit;

/**
 * The ingress bookkeeping per received video packet, as {@code PeerLeg.receive} and {@code InboundStreams.receive}
 * do it: {@link TransportCcRecorder#onPacket} (transport-wide sequence number), {@link ReceiverStatistics#receive}
 * (RFC 3550 statistics and jitter) and {@link NackGenerator#onPacket} with {@link NackSettings#defaults()}, at 1%
 * loss.
 *
 * <p>The publisher sends one packet per millisecond (a clock the benchmark moves). In every hundred media
 * packets one (at a place that moves from block to block) is lost and arrives 30 packets later as a
 * retransmission, which carries the original sequence number (RTX unwrapped, as the ingress feeds it) and a
 * transport-wide number of its own; the lost original's transport-wide number never arrives. So the generator
 * sees a hole open and fill, and the recorder a loss, once per hundred packets.
 *
 * <ul>
 *   <li>{@code perPacket}: the three calls, nothing else.</li>
 *   <li>{@code perPacketWithTimers}: the same, plus what the leg's 20 ms timer does for this stream, amortized:
 *       every 20th packet {@link NackGenerator#collectDue} (the hole is then NACKed, so the retransmission
 *       fills a NACKed hole and yields a round-trip sample) and every 50th packet
 *       {@link TransportCcRecorder#writeFeedback} into a reused buffer.</li>
 * </ul>
 * Scores are per received packet; {@code gc.alloc.rate.norm} should be 0 B/op.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar IngressBenchmark -prof gc -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@Fork(1)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class IngressBenchmark {

    private static final long PACKET_NANOS = 1_000_000L;
    private static final int BLOCK = 100;
    /** Media packets between a loss and its retransmission's arrival. */
    private static final int REPAIR_DELAY = 30;
    private static final int CLOCK_RATE = 90_000;
    private static final int TIMESTAMP_STEP = CLOCK_RATE / 1000;
    private static final int NACK_EVERY = 20;
    private static final int FEEDBACK_EVERY = 50;

    private TransportCcRecorder transportCc;
    private ReceiverStatistics statistics;
    private NackGenerator nacks;
    private final int[] due = new int[128];
    private ByteBuf feedback;

    private long now;
    /** Arrivals so far. */
    private long arrival;
    private long mediaBase;
    private long transportBase;
    private long nacked;
    private long rttSamples;

    @Setup(Level.Trial)
    public void setUp() {
        transportCc = new TransportCcRecorder(4096);
        statistics = new ReceiverStatistics(CLOCK_RATE);
        nacks = new NackGenerator(NackSettings.defaults());
        feedback = Unpooled.buffer(1500);
        now = 1_000_000_000_000L;
        mediaBase = 40_000;
        transportBase = 60_000;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        long packets = arrival;
        if (statistics.received() < packets - 4 || nacks.missing() > 1) {
            throw new IllegalStateException("received " + statistics.received() + " of " + packets
                    + ", missing " + nacks.missing());
        }
        if (transportCc.packetsRecorded() != packets || transportCc.packetsIgnored() != 0) {
            throw new IllegalStateException("transport-cc recorded " + transportCc.packetsRecorded() + " of "
                    + packets + ", ignored " + transportCc.packetsIgnored());
        }
        feedback.release();
    }

    /** The next arrival: its media and transport-wide sequence numbers and RTP timestamp, then the three calls. */
    private void receiveNext() {
        int p = (int) (arrival % BLOCK);
        long block = arrival / BLOCK;
        int lost = 10 + (int) (block * 37 % 60); // 10..69, so the retransmission stays in the block
        int media;
        if (p < lost) {
            media = p;
        } else if (p < lost + REPAIR_DELAY) {
            media = p + 1;
        } else if (p == lost + REPAIR_DELAY) {
            media = lost;
        } else {
            media = p;
        }
        // Send order: media 0..lost+30, the retransmission, media lost+31..99: 101 transport numbers a block.
        int transport = p < lost ? p : p + 1;
        int sequence = (int) (mediaBase + media) & 0xFFFF;
        long timestamp = (mediaBase + media) * TIMESTAMP_STEP & 0xFFFFFFFFL;
        now += PACKET_NANOS;
        transportCc.onPacket((int) (transportBase + transport) & 0xFFFF, now);
        statistics.receive(sequence, timestamp, now);
        if (nacks.onPacket(sequence, now) >= 0) {
            rttSamples++;
        }
        arrival++;
        if (p == BLOCK - 1) {
            mediaBase += BLOCK;
            transportBase += BLOCK + 1;
        }
    }

    @Benchmark
    public long perPacket() {
        receiveNext();
        return arrival;
    }

    @Benchmark
    public long perPacketWithTimers() {
        receiveNext();
        if (arrival % NACK_EVERY == 0) {
            nacked += nacks.collectDue(now, 50_000_000L, due);
        }
        if (arrival % FEEDBACK_EVERY == 0) {
            feedback.clear();
            transportCc.writeFeedback(feedback, 1, 2);
        }
        return arrival;
    }
}
