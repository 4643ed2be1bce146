package org.sluice.core.ice;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.sluice.core.stun.StunIntegrity;
import org.sluice.core.stun.StunMessage;
import org.sluice.core.stun.StunMessageType;
import org.sluice.core.stun.StunMessageWriter;

import java.util.SplittableRandom;

/** Builds the connectivity checks a controlling full-ICE peer would send. Test helper. */
final class TestPeer {

    private final StunMessageWriter writer = new StunMessageWriter();
    private final SplittableRandom random = new SplittableRandom(42);
    private final ByteBuf buf = Unpooled.buffer(512);
    private final StunMessage view = new StunMessage();

    /** Options of one check. */
    static final class Check {
        String username;
        String password;
        boolean controlled;
        boolean useCandidate;
        boolean integrity = true;
        boolean sha256;
        boolean fingerprint = true;
        boolean withUsername = true;
        int messageType = StunMessageType.BINDING_REQUEST;

        Check(String username, String password) {
            this.username = username;
            this.password = password;
        }
    }

    static Check check(IceCredentials agentLocal, String peerUfrag) {
        return new Check(agentLocal.ufrag() + ":" + peerUfrag, agentLocal.pwd());
    }

    /** Writes the check and returns a view of it (valid until the next call). */
    StunMessage build(Check c) {
        buf.clear();
        byte[] tx = new byte[12];
        for (int i = 0; i < tx.length; i++) {
            tx[i] = (byte) random.nextInt(256);
        }
        writer.begin(buf, c.messageType, tx);
        if (c.withUsername) {
            writer.username(c.username);
        }
        writer.priority(0x6e0001ffL);
        if (c.controlled) {
            writer.iceControlled(random.nextLong());
        } else {
            writer.iceControlling(random.nextLong());
        }
        if (c.useCandidate) {
            writer.useCandidate();
        }
        StunIntegrity key = StunIntegrity.shortTerm(c.password);
        if (c.integrity) {
            writer.messageIntegrity(key);
        }
        if (c.sha256) {
            writer.messageIntegritySha256(key);
        }
        int length = writer.finish(c.fingerprint);
        if (!view.wrap(buf, 0, length)) {
            throw new AssertionError(view.invalidReason());
        }
        return view;
    }

    ByteBuf buffer() {
        return buf;
    }

    void release() {
        buf.release();
    }
}
