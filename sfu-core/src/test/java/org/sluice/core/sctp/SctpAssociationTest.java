package org.sluice.core.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SctpAssociationTest {

    private static final long SECOND = 1_000_000_000L;
    private static final int PPID_BINARY = 53;

    private static byte[] numbered(int i, int size) {
        byte[] b = new byte[Math.max(4, size)];
        ByteBuffer.wrap(b).putInt(i);
        for (int k = 4; k < b.length; k++) {
            b[k] = (byte) (i * 31 + k);
        }
        return b;
    }

    @Test
    void simultaneousOpenEstablishesBothSides() {
        SimulatedNetwork net = new SimulatedNetwork(1, 0, 10, SctpSettings.defaults());
        net.connectBoth();
        assertThat(net.runUntil(() -> net.a.established && net.b.established, 5 * SECOND)).isTrue();
        assertThat(net.a.association.state()).isEqualTo(SctpAssociation.State.ESTABLISHED);
        assertThat(net.b.association.state()).isEqualTo(SctpAssociation.State.ESTABLISHED);
    }

    @Test
    void oneSidedOpenThroughTheCookieAndHandshakeLossIsRetransmitted() {
        SimulatedNetwork net = new SimulatedNetwork(2, 0.3, 10, SctpSettings.defaults());
        net.a.association.connect();
        assertThat(net.runUntil(() -> net.a.established && net.b.established, 120 * SECOND)).isTrue();
        assertThat(net.a.association.send(1, PPID_BINARY, new byte[] {1, 2, 3}, false, -1, -1)).isTrue();
        assertThat(net.runUntil(() -> net.b.messages.size() == 1, 60 * SECOND)).isTrue();
        assertThat(net.b.messages.get(0)).containsExactly(1, 2, 3);
    }

    @Test
    void reliableOrderedTenThousandMessagesUnderFivePercentLoss() {
        SimulatedNetwork net = new SimulatedNetwork(3, 0.05, 20, SctpSettings.defaults());
        net.connectBoth();
        assertThat(net.runUntil(() -> net.a.established && net.b.established, 30 * SECOND)).isTrue();
        int total = 10_000;
        Random sizes = new Random(7);
        int[] next = {0};
        boolean done = net.runUntil(() -> {
            while (next[0] < total && net.a.association.bufferedAmount() < 256 * 1024) {
                assertThat(net.a.association.send(0, PPID_BINARY, numbered(next[0], 1 + sizes.nextInt(3000)), false,
                        -1, -1)).isTrue();
                next[0]++;
            }
            return net.b.messages.size() == total;
        }, 3600 * SECOND);
        assertThat(done).as("all delivered, %s", net.a.counters).isTrue();
        for (int i = 0; i < total; i++) {
            assertThat(ByteBuffer.wrap(net.b.messages.get(i)).getInt()).isEqualTo(i);
        }
        assertThat(net.packetsLost).isGreaterThan(100);
        System.out.println("reliable ordered under 5% loss: lost " + net.packetsLost + " packets, " + net.a.counters
                + ", simulated " + (net.now - 1_000_000_000L) / 1_000_000 + " ms");
        assertThat(net.a.counters.retransmissions()).isGreaterThan(0);
        // Repairs stay in proportion to the loss: no storm of spurious retransmissions.
        assertThat(net.a.counters.retransmissions()).isLessThan(4 * net.packetsLost);
        assertThat(net.a.counters.fastRetransmissions()).isGreaterThan(0);
        assertThat(net.b.counters.dataChunksDuplicate()).isLessThan(net.a.counters.retransmissions() + 1);
    }

    @Test
    void unorderedWithoutRetransmissionsDeliversMostAndNoneTwice() {
        SimulatedNetwork net = new SimulatedNetwork(4, 0.05, 20, SctpSettings.defaults());
        net.connectBoth();
        assertThat(net.runUntil(() -> net.a.established && net.b.established, 30 * SECOND)).isTrue();
        int total = 10_000;
        for (int i = 0; i < total; i++) {
            assertThat(net.a.association.send(2, PPID_BINARY, numbered(i, 100), true, 0, -1)).isTrue();
            if (i % 50 == 49) {
                net.runUntil(() -> false, 10_000_000L);
            }
        }
        net.runUntil(() -> net.a.association.bufferedAmount() == 0, 600 * SECOND);
        net.runUntil(() -> false, 5 * SECOND);
        Set<Integer> seen = new HashSet<>();
        for (byte[] m : net.b.messages) {
            assertThat(seen.add(ByteBuffer.wrap(m).getInt())).as("delivered once").isTrue();
        }
        assertThat(seen.size()).isGreaterThanOrEqualTo(total * 90 / 100).isLessThan(total);
        assertThat(net.a.counters.messagesAbandoned()).isGreaterThan(0);
        assertThat(net.a.counters.retransmissions()).isZero();
    }

    @Test
    void lifetimeLimitedMessagesAreAbandonedAndTheStreamMovesOn() {
        SimulatedNetwork net = new SimulatedNetwork(5, 0.05, 20, SctpSettings.defaults());
        net.connectBoth();
        assertThat(net.runUntil(() -> net.a.established && net.b.established, 60 * SECOND)).isTrue();
        for (int i = 0; i < 500; i++) {
            net.a.association.send(3, PPID_BINARY, numbered(i, 1000), false, -1, 50);
            net.runUntil(() -> false, 10_000_000L);
        }
        net.runUntil(() -> net.a.association.bufferedAmount() == 0, 600 * SECOND);
        assertThat(net.a.counters.messagesAbandoned()).isGreaterThan(0);
        int last = -1;
        for (byte[] m : net.b.messages) {
            int i = ByteBuffer.wrap(m).getInt();
            assertThat(i).as("ordered, no duplicates").isGreaterThan(last);
            last = i;
        }
        assertThat(net.b.messages.size()).as("%s / %s", net.a.counters, net.b.counters).isGreaterThan(400).isLessThan(500);
    }

    @Test
    void largestMessageIsFragmentedAndReassembledIntact() {
        SimulatedNetwork net = new SimulatedNetwork(6, 0.05, 5, SctpSettings.defaults());
        net.connectBoth();
        assertThat(net.runUntil(() -> net.a.established && net.b.established, 30 * SECOND)).isTrue();
        byte[] big = numbered(9, SctpSettings.DEFAULT_MAX_MESSAGE_SIZE);
        byte[] unorderedBig = numbered(10, SctpSettings.DEFAULT_MAX_MESSAGE_SIZE - 1);
        assertThat(net.a.association.send(0, PPID_BINARY, big, false, -1, -1)).isTrue();
        assertThat(net.a.association.send(4, PPID_BINARY, unorderedBig, true, -1, -1)).isTrue();
        assertThat(net.a.association.send(0, PPID_BINARY, new byte[big.length + 1], false, -1, -1)).isFalse();
        assertThat(net.runUntil(() -> net.b.messages.size() == 2, 600 * SECOND)).isTrue();
        assertThat(net.b.messages).anySatisfy(m -> assertThat(m).isEqualTo(big));
        assertThat(net.b.messages).anySatisfy(m -> assertThat(m).isEqualTo(unorderedBig));
        assertThat(net.a.counters.sendsRefused()).isEqualTo(1);
    }

    @Test
    void streamResetReachesThePeerAndRestartsSequenceNumbers() {
        SimulatedNetwork net = new SimulatedNetwork(7, 0.0, 5, SctpSettings.defaults());
        net.connectBoth();
        assertThat(net.runUntil(() -> net.a.established && net.b.established, 30 * SECOND)).isTrue();
        net.a.association.send(1, PPID_BINARY, numbered(1, 10), false, -1, -1);
        net.a.association.send(3, PPID_BINARY, numbered(2, 10), false, -1, -1);
        net.a.association.resetStreams(1);
        assertThat(net.runUntil(() -> net.b.resets.size() == 1, 10 * SECOND)).isTrue();
        assertThat(net.b.resets.get(0)).containsExactly(1);
        net.runUntil(() -> false, SECOND);
        // After the reset stream 1 starts again at SSN 0; stream 3 goes on with SSN 1.
        net.a.association.send(1, PPID_BINARY, numbered(3, 10), false, -1, -1);
        net.a.association.send(3, PPID_BINARY, numbered(4, 10), false, -1, -1);
        assertThat(net.runUntil(() -> net.b.messages.size() == 4, 10 * SECOND)).isTrue();
        assertThat(net.b.streams).containsExactlyInAnyOrder(1, 3, 1, 3);
        assertThat(net.b.counters.streamResets()).isEqualTo(1);
    }

    @Test
    void shutdownClosesBothSidesGracefully() {
        SimulatedNetwork net = new SimulatedNetwork(8, 0.1, 5, SctpSettings.defaults());
        net.connectBoth();
        assertThat(net.runUntil(() -> net.a.established && net.b.established, 60 * SECOND)).isTrue();
        net.a.association.send(0, PPID_BINARY, numbered(1, 5000), false, -1, -1);
        net.a.association.shutdown();
        assertThat(net.runUntil(() -> net.a.closedReason != null && net.b.closedReason != null, 120 * SECOND))
                .isTrue();
        assertThat(net.b.messages).hasSize(1);
        assertThat(net.a.closedReason).isEqualTo(SctpAssociation.REASON_SHUTDOWN);
        assertThat(net.b.closedReason).isEqualTo(SctpAssociation.REASON_SHUTDOWN);
    }

    @Test
    void abortEndsThePeer() {
        SimulatedNetwork net = new SimulatedNetwork(9, 0, 5, SctpSettings.defaults());
        net.connectBoth();
        assertThat(net.runUntil(() -> net.a.established && net.b.established, 30 * SECOND)).isTrue();
        net.a.association.abort();
        assertThat(net.runUntil(() -> net.b.closedReason != null, 10 * SECOND)).isTrue();
        assertThat(net.b.closedReason).isEqualTo(SctpAssociation.REASON_PEER_ABORT);
    }

    @Test
    void heartbeatsKeepAnIdleAssociationAndAnswerAreCounted() {
        SimulatedNetwork net = new SimulatedNetwork(10, 0, 5, SctpSettings.defaults());
        net.connectBoth();
        assertThat(net.runUntil(() -> net.a.established && net.b.established, 30 * SECOND)).isTrue();
        long before = net.a.counters.packetsSent();
        net.runUntil(() -> false, 600 * SECOND);
        assertThat(net.a.counters.packetsSent() - before).isGreaterThanOrEqualTo(20); // heartbeats and their acks
        assertThat(net.a.association.isEstablished()).isTrue();
        assertThat(net.b.association.isEstablished()).isTrue();
    }

    @Test
    void aPeerThatNeverAcknowledgesEndsOnlyItsOwnAssociation() {
        SimulatedNetwork net = new SimulatedNetwork(11, 0, 5, SctpSettings.defaults());
        net.connectBoth();
        assertThat(net.runUntil(() -> net.a.established && net.b.established, 30 * SECOND)).isTrue();
        net.bDelivers = false; // b receives but never answers: no SACK ever reaches a
        net.a.association.send(0, PPID_BINARY, numbered(1, 100), false, -1, -1);
        assertThat(net.runUntil(() -> net.a.closedReason != null, 3600 * SECOND)).isTrue();
        assertThat(net.a.closedReason).isEqualTo(SctpAssociation.REASON_TIMEOUT);
        assertThat(net.a.counters.associationsTimedOut()).isEqualTo(1);
        assertThat(net.a.counters.retransmissionTimeouts()).isEqualTo(11);
        // A second, healthy association with its own counters is untouched.
        SimulatedNetwork other = new SimulatedNetwork(12, 0, 5, SctpSettings.defaults());
        other.connectBoth();
        assertThat(other.runUntil(() -> other.a.established && other.b.established, 30 * SECOND)).isTrue();
        other.a.association.send(0, PPID_BINARY, numbered(1, 100), false, -1, -1);
        assertThat(other.runUntil(() -> other.b.messages.size() == 1, 30 * SECOND)).isTrue();
    }

    @Test
    void anInitFloodEndsTheFloodersAssociationAndIsCounted() {
        SimulatedNetwork net = new SimulatedNetwork(13, 0, 5, SctpSettings.defaults());
        byte[][] init = new byte[1][];
        net.a.tap = p -> {
            if (init[0] == null) {
                init[0] = p.clone();
            }
        };
        net.connectBoth();
        assertThat(net.runUntil(() -> net.a.established && net.b.established, 30 * SECOND)).isTrue();
        for (int i = 0; i < 100; i++) {
            net.inject(net.b, init[0]);
        }
        assertThat(net.b.closedReason).isEqualTo(SctpAssociation.REASON_INIT_FLOOD);
        assertThat(net.b.counters.associationsInitFlood()).isEqualTo(1);
        assertThat(net.runUntil(() -> net.a.closedReason != null, 10 * SECOND)).isTrue();
    }

    @Test
    void forgedAndStaleCookiesAreRejected() {
        SimulatedNetwork net = new SimulatedNetwork(14, 0, 5, SctpSettings.defaults());
        java.util.List<byte[]> fromB = new java.util.ArrayList<>();
        net.b.tap = fromB::add;
        net.a.association.connect();
        assertThat(net.runUntil(() -> !fromB.isEmpty(), SECOND)).isTrue();
        net.runUntil(() -> net.a.established && net.b.established, 10 * SECOND);
        assertThat(net.b.established).isTrue();
        // A fresh listener gets a COOKIE ECHO signed with another key: dropped and counted.
        SimulatedNetwork fresh = new SimulatedNetwork(15, 0, 5, SctpSettings.defaults());
        fresh.a.association.connect();
        java.util.List<byte[]> echoes = new java.util.ArrayList<>();
        fresh.a.tap = echoes::add;
        fresh.runUntil(() -> fresh.a.established && fresh.b.established, 10 * SECOND);
        byte[] cookieEcho = echoes.get(0);
        net.inject(net.b, cookieEcho);
        assertThat(net.b.counters.packetsBadTag() + net.b.counters.cookiesRejected()).isGreaterThan(0);
    }
}
