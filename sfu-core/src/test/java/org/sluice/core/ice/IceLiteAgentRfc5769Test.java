package org.sluice.core.ice;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.sluice.core.stun.IntegrityCheck;
import org.sluice.core.stun.StunFingerprint;
import org.sluice.core.stun.StunIntegrity;
import org.sluice.core.stun.StunMessage;

import java.net.InetSocketAddress;
import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RFC 5769 §2.1 sample request is an ICE check (USERNAME "evtj:h6vY", password
 * "VOkJxbRl1RmTxUk/WvJxBt") from an agent claiming ICE-CONTROLLED: a lite agent with those
 * credentials authenticates it and answers 487 Role Conflict, signed and fingerprinted.
 */
class IceLiteAgentRfc5769Test {

    private static final String SAMPLE_REQUEST = """
            00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
            00 24 00 04 6e 00 01 ff
            80 29 00 08 93 2f f9 b1 51 26 3b 36
            00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
            00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
            80 28 00 04 e5 7a 3b cf
            """;

    @Test
    void sampleRequestIsAuthenticatedAndGetsRoleConflict() {
        IceCredentials local = new IceCredentials("evtj", "VOkJxbRl1RmTxUk/WvJxBt");
        IceLiteAgent agent = new IceLiteAgent(new SecureRandom(), () -> 0L, new IceAgentListener() { },
                IceLiteAgent.DEFAULT_CONSENT_TIMEOUT, IceLiteAgent.DEFAULT_MAX_VALID_PAIRS, local);
        agent.setRemoteCredentials(new IceCredentials("h6vY", "unusedunusedunusedunused"));
        String digits = SAMPLE_REQUEST.replaceAll("[^0-9a-f]", "");
        byte[] bytes = new byte[digits.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        ByteBuf out = Unpooled.buffer(256);
        try {
            StunMessage request = new StunMessage();
            assertThat(request.wrap(in)).isTrue();
            IceCheckOutcome outcome = agent.handleRequest(request, new InetSocketAddress("192.0.2.1", 32853),
                    TransportKind.UDP, out);
            assertThat(outcome).isEqualTo(IceCheckOutcome.ROLE_CONFLICT);
            StunMessage response = new StunMessage();
            assertThat(response.wrap(out)).isTrue();
            assertThat(response.errorCode()).isEqualTo(487);
            assertThat(response.transactionIdEquals(request)).isTrue();
            assertThat(StunIntegrity.shortTerm(local.pwd()).verify(response)).isEqualTo(IntegrityCheck.VALID);
            assertThat(new StunFingerprint().verify(response)).isTrue();

            agent.setRemoteCredentials(new IceCredentials("h6vZ", "unusedunusedunusedunused"));
            out.clear();
            assertThat(agent.handleRequest(request, new InetSocketAddress("192.0.2.1", 32853), TransportKind.UDP, out))
                    .isEqualTo(IceCheckOutcome.REJECTED_401);
        } finally {
            in.release();
            out.release();
        }
    }
}
