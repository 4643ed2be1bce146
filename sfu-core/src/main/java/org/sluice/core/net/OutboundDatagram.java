package org.sluice.core.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.util.Recycler;

import java.net.InetSocketAddress;

/**
 * A datagram on its way out, recycled after Netty has written it. Netty releases an outbound
 * message once it is written, which releases the payload and hands this envelope back to its
 * pool, so steady-state sending allocates no envelope per packet (Netty's own DatagramPacket
 * would be one object per send).
 */
public final class OutboundDatagram implements AddressedEnvelope<ByteBuf, InetSocketAddress> {

    private static final Recycler<OutboundDatagram> RECYCLER = new Recycler<>() {
        @Override
        protected OutboundDatagram newObject(Handle<OutboundDatagram> handle) {
            return new OutboundDatagram(handle);
        }
    };

    private final Recycler.Handle<OutboundDatagram> handle;
    private ByteBuf content;
    private InetSocketAddress recipient;

    private OutboundDatagram(Recycler.Handle<OutboundDatagram> handle) {
        this.handle = handle;
    }

    /** Takes ownership of {@code content}: it is released when the datagram is written or dropped. */
    public static OutboundDatagram of(ByteBuf content, InetSocketAddress recipient) {
        OutboundDatagram datagram = RECYCLER.get();
        datagram.content = content;
        datagram.recipient = recipient;
        return datagram;
    }

    @Override
    public ByteBuf content() {
        return content;
    }

    @Override
    public InetSocketAddress sender() {
        return null;
    }

    @Override
    public InetSocketAddress recipient() {
        return recipient;
    }

    @Override
    public int refCnt() {
        return content == null ? 0 : content.refCnt();
    }

    @Override
    public OutboundDatagram retain() {
        content.retain();
        return this;
    }

    @Override
    public OutboundDatagram retain(int increment) {
        content.retain(increment);
        return this;
    }

    @Override
    public OutboundDatagram touch() {
        content.touch();
        return this;
    }

    @Override
    public OutboundDatagram touch(Object hint) {
        content.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return release(1);
    }

    @Override
    public boolean release(int decrement) {
        ByteBuf c = content;
        if (c == null) {
            return false;
        }
        boolean deallocated = c.release(decrement);
        if (deallocated) {
            content = null;
            recipient = null;
            handle.recycle(this);
        }
        return deallocated;
    }

    @Override
    public String toString() {
        return "OutboundDatagram(" + (content == null ? 0 : content.readableBytes()) + " B → " + recipient + ")";
    }
}
