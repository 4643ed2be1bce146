package org.sluice.core.ice;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.sluice.core.stun.StunMessage;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Feeds the agent random, truncated and bit-flipped connectivity checks: nothing escapes, every
 * response it writes is a well-formed STUN message for the same transaction, and no corrupted
 * check is ever accepted.
 */
class IceLiteAgentFuzzTest {

    private static final int CASES = 250_000;
    private static final IceCredentials PEER = new IceCredentials("peer", "peerpasswordpeerpassword");
    private static final InetSocketAddress[] ADDRESSES = {
        new InetSocketAddress("192.0.2.1", 1000), new InetSocketAddress("192.0.2.2", 2000),
        new InetSocketAddress("2001:db8::1", 3000)
    };

    @Test
    void hostileChecksNeverEscapeOrPass() {
        long[] now = {0};
        IceLiteAgent agent = new IceLiteAgent(new SecureRandom(), () -> now[0], new IceAgentListener() { });
        agent.setRemoteCredentials(PEER);
        List<byte[]> corpus = corpus(agent.localCredentials());
        int[] protectedEnds = corpus.stream().mapToInt(IceLiteAgentFuzzTest::protectedEnd).toArray();
        SplittableRandom random = new SplittableRandom(0x5EED_0002L);
        StunMessage request = new StunMessage();
        StunMessage response = new StunMessage();
        ByteBuf in = Unpooled.buffer(1024);
        ByteBuf out = Unpooled.buffer(512);
        int[] outcomes = new int[IceCheckOutcome.values().length];
        try {
            for (int i = 0; i < CASES; i++) {
                now[0] += 1_000_000;
                int pick = random.nextInt(corpus.size());
                byte[] base = corpus.get(pick);
                int flippedByte = -1;
                byte[] input;
                int mode = random.nextInt(4);
                switch (mode) {
                    case 0 -> {
                        input = new byte[random.nextInt(140)];
                        for (int j = 0; j < input.length; j++) {
                            input[j] = (byte) random.nextInt(256);
                        }
                        if (input.length >= 20 && random.nextBoolean()) {
                            System.arraycopy(base, 0, input, 0, 20);
                            input[2] = (byte) ((input.length - 20) >> 8);
                            input[3] = (byte) ((input.length - 20) & 0xFC);
                        }
                    }
                    case 1 -> input = Arrays.copyOf(base, random.nextInt(base.length + 1));
                    case 2 -> {
                        input = base.clone();
                        int bit = random.nextInt(input.length * 8);
                        input[bit / 8] ^= (byte) (1 << (bit % 8));
                        flippedByte = bit / 8;
                    }
                    default -> input = base.clone();
                }
                in.clear().writeBytes(input);
                out.clear();
                request.wrap(in);
                InetSocketAddress from = ADDRESSES[random.nextInt(ADDRESSES.length)];
                TransportKind kind = random.nextBoolean() ? TransportKind.UDP : TransportKind.TCP;
                IceCheckOutcome outcome = agent.handleRequest(request, from, kind, out);
                outcomes[outcome.ordinal()]++;
                if (outcome.hasResponse()) {
                    if (!response.wrap(out) || !response.transactionIdEquals(request)) {
                        fail("case %d: malformed response for %s", i, outcome);
                    }
                } else if (out.readableBytes() != 0) {
                    fail("case %d: IGNORED but wrote a response", i);
                }
                boolean accepted = outcome == IceCheckOutcome.VALID || outcome == IceCheckOutcome.NOMINATED;
                // Only bytes after the checked integrity attribute (i.e. the FINGERPRINT attribute, whose
                // type may be flipped into an ignored attribute) are not protected.
                boolean unprotectedFlip = mode == 2 && flippedByte >= protectedEnds[pick];
                if (accepted && mode != 3 && !unprotectedFlip && !Arrays.equals(input, base)) {
                    fail("case %d: corrupted check accepted (mode %d) byte %d of %s", i, mode, flippedByte, io.netty.buffer.ByteBufUtil.hexDump(base));
                }
                if (mode == 3 && !accepted && outcome != IceCheckOutcome.ROLE_CONFLICT) {
                    fail("case %d: intact check got %s", i, outcome);
                }
                if (i % 1000 == 0) {
                    agent.checkConsent(now[0]);
                }
            }
        } finally {
            in.release();
            out.release();
        }
        for (IceCheckOutcome outcome : IceCheckOutcome.values()) {
            assertThat(outcomes[outcome.ordinal()]).as(outcome.name()).isPositive();
        }
        assertThat(agent.selectedPair()).isNotNull();
    }

    /**
     * End of the first integrity attribute: what follows it is not covered by it, and a flip that
     * turns a later MESSAGE-INTEGRITY-SHA256 or FINGERPRINT into another type leaves a message whose
     * MESSAGE-INTEGRITY still verifies (attributes after it are ignored, RFC 8489 §14.5).
     */
    private static int protectedEnd(byte[] message) {
        StunMessage view = new StunMessage();
        ByteBuf buf = Unpooled.wrappedBuffer(message);
        try {
            view.wrap(buf);
            int position = view.messageIntegrityPosition() >= 0
                    ? view.messageIntegrityPosition() : view.messageIntegritySha256Position();
            return position + 4 + view.attributeLength(position);
        } finally {
            buf.release();
        }
    }

    private static List<byte[]> corpus(IceCredentials local) {
        TestPeer peer = new TestPeer();
        List<byte[]> corpus = new ArrayList<>();
        try {
            for (int variant = 0; variant < 16; variant++) {
                TestPeer.Check check = TestPeer.check(local, PEER.ufrag());
                check.useCandidate = (variant & 1) != 0;
                check.fingerprint = (variant & 2) != 0;
                check.sha256 = (variant & 4) != 0;
                check.integrity = !check.sha256 || (variant & 8) != 0;
                check.controlled = variant == 9;
                StunMessage message = peer.build(check);
                byte[] bytes = new byte[message.totalLength()];
                peer.buffer().getBytes(0, bytes);
                corpus.add(bytes);
            }
        } finally {
            peer.release();
        }
        return corpus;
    }
}
