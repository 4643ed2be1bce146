package org.sluice.core.engine;

import org.sluice.core.testing.AdjustableNanoClock;
import org.sluice.core.testing.SimulatedPublisher;
import org.sluice.core.testing.SimulatedViewer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A loopback fan-out to run under {@code strace}: one media loop, one simulated WHIP publisher and
 * {@code viewers} simulated WHEP viewers (real ICE, DTLS and SRTP), the publisher sending {@code frames}
 * video packets in bursts of {@code burst}. Prints the media loop's thread ids and how many packets the
 * engine forwarded, so the system calls of the media thread can be divided by the packets it sent:
 *
 * <pre>
 * strace -f -ff -o /tmp/st/t -e trace=sendto,sendmmsg,sendmsg java -cp CP \
 *     org.sluice.core.engine.FanOutSyscallProbe 50 2000 10
 * </pre>
 *
 * Not a test: a measuring tool (docs/benchmarks.md).
 */
public final class FanOutSyscallProbe {

    private FanOutSyscallProbe() {
    }

    public static void main(String[] args) throws Exception {
        int viewers = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int burst = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Duration connect = Duration.ofSeconds(20);
        SfuEngine engine = SfuEngine.start(EngineConfig.loopback().withMediaLoops(1), Clock.systemUTC(),
                new AdjustableNanoClock());
        List<SimulatedViewer> watching = new ArrayList<>();
        try (SimulatedPublisher publisher = SimulatedPublisher.start(engine, "room", "pub", connect)) {
            for (int i = 0; i < viewers; i++) {
                watching.add(SimulatedViewer.start(engine, "room", "viewer-" + i, connect));
            }
            EngineTestSupport.awaitReceivers(engine, publisher.sessionId(), viewers);
            Thread.sleep(500);
            long forwardedBefore = engine.packetsForwarded();
            long sentBefore = engine.networkCounters().packetsOut.sum();
            System.out.println("PROBE start media-threads=" + mediaThreads());
            publisher.sendKeyFrame((byte) 1);
            for (int i = 1; i < frames; i++) {
                publisher.sendDeltaFrame((byte) i);
                if (i % burst == 0) {
                    Thread.sleep(2);
                }
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            long expected = (long) frames * viewers;
            while (engine.packetsForwarded() - forwardedBefore < expected && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(500);
            long received = 0;
            for (SimulatedViewer v : watching) {
                received += v.peer().drainRtp().size();
            }
            System.out.println("PROBE forwarded=" + (engine.packetsForwarded() - forwardedBefore)
                    + " sent=" + (engine.networkCounters().packetsOut.sum() - sentBefore)
                    + " received=" + received + " expected=" + expected);
        } finally {
            watching.forEach(SimulatedViewer::close);
            engine.close();
        }
    }

    private static List<String> mediaThreads() throws IOException {
        List<String> ids = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String name = Files.readString(task.resolve("comm")).strip();
                if (name.startsWith("sluice-media")) {
                    ids.add(task.getFileName() + ":" + name);
                }
            }
        }
        return ids;
    }
}
