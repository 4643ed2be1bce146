package org.sluice.core.sctp;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Two associations joined by a deterministic lossy link on a simulated clock: each packet is lost
 * with a fixed probability (seeded) and otherwise arrives after a fixed delay; timers fire at
 * their deadlines. {@link #runUntil} advances time event by event.
 */
public final class SimulatedNetwork {

    public static final class Side implements SctpListener {
        final String name;
        public SctpAssociation association;
        final SctpCounters counters = new SctpCounters();
        final List<byte[]> messages = new ArrayList<>();
        final List<Integer> streams = new ArrayList<>();
        final List<Integer> ppids = new ArrayList<>();
        final List<int[]> resets = new ArrayList<>();
        boolean established;
        String closedReason;
        Consumer<byte[]> tap = p -> { };

        Side(String name) {
            this.name = name;
        }

        @Override
        public void onEstablished() {
            established = true;
        }

        @Override
        public void onMessage(int streamId, int ppid, byte[] data, boolean unordered) {
            messages.add(data);
            streams.add(streamId);
            ppids.add(ppid);
        }

        @Override
        public void onIncomingStreamsReset(int[] streamIds) {
            resets.add(streamIds);
        }

        @Override
        public void onClosed(String reason) {
            closedReason = reason;
        }
    }

    private record Event(long at, long seq, Side to, byte[] packet) {
    }

    public long now = 1_000_000_000L;
    final Random random;
    final double loss;
    final long delayNanos;
    public final Side a = new Side("a");
    public final Side b = new Side("b");
    /** When false, packets from that side vanish (a peer that went silent). */
    boolean aDelivers = true;
    boolean bDelivers = true;
    long packetsLost;
    private final PriorityQueue<Event> queue = new PriorityQueue<>((x, y) ->
            x.at != y.at ? Long.compare(x.at, y.at) : Long.compare(x.seq, y.seq));
    private long seq;

    SimulatedNetwork(long seed, double loss, long delayMillis, SctpSettings settings) {
        this(seed, loss, delayMillis, settings, null, null);
    }

    /** With other listeners than the recording sides (e.g. data channels) for a and b. */
    public SimulatedNetwork(long seed, double loss, long delayMillis, SctpSettings settings, SctpListener aListener,
                            SctpListener bListener) {
        this.random = new Random(seed);
        this.loss = loss;
        this.delayNanos = delayMillis * 1_000_000L;
        a.association = new SctpAssociation(settings, () -> now, new Random(seed + 1), secret(1),
                p -> transmit(a, b, p), aListener == null ? a : aListener, a.counters);
        b.association = new SctpAssociation(settings, () -> now, new Random(seed + 2), secret(2),
                p -> transmit(b, a, p), bListener == null ? b : bListener, b.counters);
    }

    private static byte[] secret(int n) {
        byte[] s = new byte[32];
        s[0] = (byte) n;
        return s;
    }

    private void transmit(Side from, Side to, byte[] packet) {
        from.tap.accept(packet);
        if ((from == a && !aDelivers) || (from == b && !bDelivers)) {
            return;
        }
        if (random.nextDouble() < loss) {
            packetsLost++;
            return;
        }
        queue.add(new Event(now + delayNanos, seq++, to, packet));
    }

    /** Injects a packet as if it arrived from the other side now. */
    void inject(Side to, byte[] packet) {
        to.association.receive(packet, 0, packet.length);
    }

    /** Runs events until {@code done} holds or simulated time passes {@code limitNanos}; true if done. */
    public boolean runUntil(java.util.function.BooleanSupplier done, long limitNanos) {
        long end = now + limitNanos;
        int steps = 0;
        while (!done.getAsBoolean()) {
            if (++steps > 50_000_000) {
                return false;
            }
            long nextTimer = Math.min(a.association.nextTimerNanos(), b.association.nextTimerNanos());
            Event e = queue.peek();
            long next = Math.min(nextTimer, e == null ? Long.MAX_VALUE : e.at);
            if (next == Long.MAX_VALUE || next > end) {
                now = Math.max(now, end);
                return done.getAsBoolean();
            }
            now = Math.max(now, next);
            if (e != null && e.at <= now) {
                queue.poll();
                e.to.association.receive(e.packet, 0, e.packet.length);
            } else {
                if (a.association.nextTimerNanos() <= now) {
                    a.association.onTimer();
                }
                if (b.association.nextTimerNanos() <= now) {
                    b.association.onTimer();
                }
            }
        }
        return true;
    }

    public void connectBoth() {
        a.association.connect();
        b.association.connect();
    }
}
