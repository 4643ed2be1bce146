package org.sluice.loadgen.scenario;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.sluice.core.dtls.DtlsEndpoint.SrtpKeyMaterial;
import org.sluice.loadgen.check.LoopStats;
import org.sluice.loadgen.check.StreamTracker;
import org.sluice.loadgen.check.ViewerChecks;
import org.sluice.loadgen.media.StreamIdentity;
import org.sluice.loadgen.media.Vp8Source;
import org.sluice.loadgen.peer.ClientPeer;
import org.sluice.loadgen.peer.MediaHandler;
import org.sluice.loadgen.peer.OfferSdp;
import org.sluice.loadgen.peer.PeerNetwork;
import org.sluice.rtp.srtp.SrtpProfile;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The generator measured against itself, without a server: {@code streams} sender peers on one event
 * loop send paced, stamped, AES-GCM-protected VP8 straight to as many receiver peers on another loop,
 * which decrypt and check every packet exactly as viewers do. Keys are installed directly (no ICE or
 * DTLS). The receive loop's thread CPU time per packet gives what one core of the generator can
 * receive and validate; the kernel's loopback delivery work is mostly charged to the sending thread,
 * so the figure covers our user-space path plus the recvmmsg calls.
 */
public final class CapacityScenario {

    /** Frames per second of the synthetic streams here: small bursts. */
    private static final int FPS = 100;
    private static final int MAX_PAYLOAD = 1100;

    private final int streams;
    private final int packetsPerSecond;
    private final Duration warmup;
    private final Duration duration;
    private final PrintStream progress;

    public CapacityScenario(int streams, int packetsPerSecond, Duration warmup, Duration duration,
                            PrintStream progress) {
        if (streams < 1 || packetsPerSecond < streams * FPS) {
            throw new IllegalArgumentException("at least one stream and " + FPS + " packets/s per stream");
        }
        this.streams = streams;
        this.packetsPerSecond = packetsPerSecond;
        this.warmup = warmup;
        this.duration = duration;
        this.progress = progress;
    }

    /** What the self-test measured. */
    public record Result(int streams, double offeredPerSecond, double receivedPerSecond, long sent, long received,
                         long lost, long checkFailures, long undecryptable, double receiveMicrosPerPacket,
                         double sendMicrosPerPacket, double receiveLoopCpuShare) {

        /** Packets per second one core could receive and validate at the measured cost. */
        public double packetsPerSecondPerCore() {
            return receiveMicrosPerPacket > 0 ? 1e6 / receiveMicrosPerPacket : Double.NaN;
        }
    }

    public Result run() throws Exception {
        try (PeerNetwork network = new PeerNetwork(2, 1)) {
            List<EventLoop> loops = new ArrayList<>();
            network.group().forEach(e -> loops.add((EventLoop) e));
            EventLoop receiveLoop = loops.get(0);
            EventLoop sendLoop = loops.get(1);
            LoopStats stats = network.statsOf(receiveLoop);
            List<ClientPeer> senders = new ArrayList<>();
            List<ClientPeer> receivers = new ArrayList<>();
            List<ViewerChecks> checks = new ArrayList<>();
            List<Vp8Source> sources = new ArrayList<>();
            SecureRandom random = new SecureRandom();
            int perStream = packetsPerSecond / streams;
            // an inter frame of k full packets every 1/FPS s; key frames (3x) every 2 s add about 3 %
            int packetsPerFrame = Math.max(1, perStream / FPS);
            int bitrate = packetsPerFrame * (MAX_PAYLOAD - 8) * 8 * FPS;
            try {
                for (int i = 0; i < streams; i++) {
                    ViewerChecks check = new ViewerChecks(stats, null, OfferSdp.VP8_PAYLOAD_TYPE);
                    ClientPeer receiver = ClientPeer.open(network, new ChecksHandler(check), receiveLoop);
                    ClientPeer sender = ClientPeer.open(network, new Silent(), sendLoop);
                    SrtpKeyMaterial keys = keys(random);
                    receiver.useKeysWithoutHandshake(keys, sender.localAddress()).get(5, TimeUnit.SECONDS);
                    sender.useKeysWithoutHandshake(mirror(keys), receiver.localAddress()).get(5, TimeUnit.SECONDS);
                    receivers.add(receiver);
                    senders.add(sender);
                    checks.add(check);
                    sources.add(new Vp8Source(new StreamIdentity(random.nextLong(1, 1L << 32),
                            OfferSdp.VP8_PAYLOAD_TYPE, 2 * i), bitrate, FPS, 2 * FPS, MAX_PAYLOAD,
                            random.nextInt(1 << 16), Unpooled.buffer(MAX_PAYLOAD + 64)));
                }
                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                long receiveThread = receiveLoop.submit(() -> Thread.currentThread().getId()).get();
                long sendThread = sendLoop.submit(() -> Thread.currentThread().getId()).get();
                ScheduledFuture<?> pacing = sendLoop.scheduleAtFixedRate(() -> {
                    long now = System.nanoTime();
                    for (int i = 0; i < sources.size(); i++) {
                        ClientPeer sender = senders.get(i);
                        sources.get(i).nextFrame(sender::sendRtp, now);
                        sender.flush();
                    }
                }, 0, 1_000_000_000L / FPS, TimeUnit.NANOSECONDS);
                Thread.sleep(warmup.toMillis());
                long receivedBefore = stats.packets();
                long sentBefore = sentSoFar(sendLoop, sources);
                long receiveCpuBefore = threads.getThreadCpuTime(receiveThread);
                long sendCpuBefore = threads.getThreadCpuTime(sendThread);
                long start = System.nanoTime();
                Thread.sleep(duration.toMillis());
                long receivedAfter = stats.packets();
                long sentAfter = sentSoFar(sendLoop, sources);
                long receiveCpu = threads.getThreadCpuTime(receiveThread) - receiveCpuBefore;
                long sendCpu = threads.getThreadCpuTime(sendThread) - sendCpuBefore;
                double window = (System.nanoTime() - start) / 1e9;
                sendLoop.submit(() -> pacing.cancel(false)).get(5, TimeUnit.SECONDS);
                Thread.sleep(500);
                long sent = sentSoFar(sendLoop, sources);
                long[] tally = receiveLoop.submit(() -> tally(checks, sources)).get(5, TimeUnit.SECONDS);
                long received = receivedAfter - receivedBefore;
                LoopStats totals = receiveLoop.submit(stats::copy).get(5, TimeUnit.SECONDS);
                progress.printf("capacity: %d streams, %.0f packets/s received%n", streams, received / window);
                return new Result(streams, (sentAfter - sentBefore) / window, received / window, sent, tally[1],
                        Math.max(0, tally[0] - tally[1]), totals.stampFailures(), totals.undecryptable(),
                        received == 0 ? Double.NaN : receiveCpu / 1000.0 / received,
                        sentAfter == sentBefore ? Double.NaN : sendCpu / 1000.0 / (sentAfter - sentBefore),
                        receiveCpu / 1e9 / window);
            } finally {
                receivers.forEach(ClientPeer::close);
                senders.forEach(ClientPeer::close);
            }
        }
    }

    private static long sentSoFar(EventLoop loop, List<Vp8Source> sources) throws Exception {
        return loop.submit(() -> {
            long sum = 0;
            for (Vp8Source s : sources) {
                sum += s.packetsSent();
            }
            return sum;
        }).get(5, TimeUnit.SECONDS);
    }

    /** {expected, received} over all streams; on the receive loop. */
    private static long[] tally(List<ViewerChecks> checks, List<Vp8Source> sources) {
        long expected = 0;
        long received = 0;
        for (ViewerChecks check : checks) {
            for (StreamTracker t : check.streams()) {
                int source = t.streamId() / 2;
                if (source >= 0 && source < sources.size()) {
                    expected += t.expected(sources.get(source).packetsSent());
                    received += t.received();
                }
            }
        }
        return new long[] {expected, received};
    }

    private static SrtpKeyMaterial keys(SecureRandom random) {
        SrtpProfile profile = SrtpProfile.AEAD_AES_128_GCM;
        return new SrtpKeyMaterial(profile, bytes(random, profile.masterKeyLength()),
                bytes(random, profile.masterSaltLength()), bytes(random, profile.masterKeyLength()),
                bytes(random, profile.masterSaltLength()));
    }

    private static SrtpKeyMaterial mirror(SrtpKeyMaterial k) {
        return new SrtpKeyMaterial(k.profile(), k.remoteMasterKey(), k.remoteMasterSalt(), k.localMasterKey(),
                k.localMasterSalt());
    }

    private static byte[] bytes(SecureRandom random, int length) {
        byte[] out = new byte[length];
        random.nextBytes(out);
        return out;
    }

    private record ChecksHandler(ViewerChecks checks) implements MediaHandler {
        @Override
        public void onRtp(ByteBuf packet, long nowNanos) {
            checks.onRtp(packet, nowNanos);
        }

        @Override
        public void onRtcp(ByteBuf compound) {
        }
    }

    private static final class Silent implements MediaHandler {
        @Override
        public void onRtp(ByteBuf packet, long nowNanos) {
        }

        @Override
        public void onRtcp(ByteBuf compound) {
        }
    }
}
