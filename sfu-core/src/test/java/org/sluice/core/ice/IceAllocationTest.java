package org.sluice.core.ice;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.sluice.core.stun.StunAttribute;
import org.sluice.core.stun.StunFingerprint;
import org.sluice.core.stun.StunMessage;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Heap allocated per STUN packet, measured with the JVM's per-thread allocation counter (bytes,
 * not time): wrapping and fingerprint-checking allocate nothing; a whole connectivity check
 * (HMAC verify, signed response) allocates only what the JCE {@code Mac} does internally.
 */
class IceAllocationTest {

    private static final int ROUNDS = 20_000;

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static boolean supported() {
        return ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean tm
                && tm.isThreadAllocatedMemorySupported() && tm.isThreadAllocatedMemoryEnabled();
    }

    @Test
    void perPacketAllocation() {
        assumeTrue(supported(), "per-thread allocation counter unavailable");
        IceCredentials remote = new IceCredentials("peer", "peerpasswordpeerpassword");
        IceLiteAgent agent = new IceLiteAgent(new SecureRandom(), System::nanoTime, new IceAgentListener() { });
        agent.setRemoteCredentials(remote);
        TestPeer peer = new TestPeer();
        TestPeer.Check check = TestPeer.check(agent.localCredentials(), remote.ufrag());
        check.useCandidate = true;
        StunMessage built = peer.build(check);
        // Heap buffers over plain arrays: the leak detector (paranoid in tests) does not wrap them, so
        // its access records do not pollute the count.
        byte[] bytes = new byte[built.totalLength()];
        peer.buffer().getBytes(0, bytes);
        peer.release();
        ByteBuf request = Unpooled.wrappedBuffer(bytes);
        ByteBuf out = Unpooled.wrappedBuffer(new byte[256]).clear();
        InetSocketAddress from = new InetSocketAddress("192.0.2.1", 40000);
        StunMessage view = new StunMessage();
        StunFingerprint fingerprint = new StunFingerprint();
        try {
            for (int i = 0; i < ROUNDS; i++) { // warm-up
                parse(view, fingerprint, request);
                check(agent, view, request, from, out);
            }
            long before = allocatedBytes();
            for (int i = 0; i < ROUNDS; i++) {
                parse(view, fingerprint, request);
            }
            long parseBytes = allocatedBytes() - before;
            before = allocatedBytes();
            for (int i = 0; i < ROUNDS; i++) {
                check(agent, view, request, from, out);
            }
            long checkBytes = allocatedBytes() - before;
            System.out.printf("STUN wrap+find+FINGERPRINT: %.2f B/packet; ICE check with response: %.1f B/packet%n",
                    (double) parseBytes / ROUNDS, (double) checkBytes / ROUNDS);
            assertThat((double) parseBytes / ROUNDS).isLessThan(1.0);
            assertThat((double) checkBytes / ROUNDS).isLessThan(512.0);
        } finally {
            request.release();
            out.release();
        }
    }

    private static void parse(StunMessage view, StunFingerprint fingerprint, ByteBuf request) {
        if (!view.wrap(request) || !fingerprint.verify(view) || view.find(StunAttribute.USERNAME) < 0) {
            throw new AssertionError("request no longer parses");
        }
    }

    private static void check(IceLiteAgent agent, StunMessage view, ByteBuf request, InetSocketAddress from,
                              ByteBuf out) {
        view.wrap(request);
        out.clear();
        if (agent.handleRequest(view, from, TransportKind.UDP, out) != IceCheckOutcome.NOMINATED) {
            throw new AssertionError("check not accepted");
        }
    }
}
