package org.sluice.core.peer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.sluice.core.forward.EgressLeg;
import org.sluice.rtp.srtp.SrtpSession;

/** A leg that sends nothing: for tests that look only at the allocator's decisions. */
final class SilentLeg implements EgressLeg {

    @Override
    public SrtpSession outboundSrtp() {
        return null;
    }

    @Override
    public ByteBufAllocator alloc() {
        return UnpooledByteBufAllocator.DEFAULT;
    }

    @Override
    public void streamEnded(long ssrc) {
    }

    @Override
    public void sendProtected(ByteBuf packet) {
        packet.release();
    }
}
