package org.sluice.core.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.Recycler;

import java.net.InetSocketAddress;

/**
 * A datagram on its way out, recycled after Netty has written it. Netty releases an outbound
 * message once it is written, which releases the payload and hands this envelope back to its
 * pool, so steady-state sending allocates no envelope per packet (a plain DatagramPacket would be
 * one object per send).
 *
 * <p>It is a {@link DatagramPacket} because that is the only type Netty's epoll transport batches
 * into one {@code sendmmsg} ({@code NativeDatagramPacketArray} takes {@code DatagramPacket}s and,
 * on a connected socket, bare {@code ByteBuf}s; any other envelope is written with one
 * {@code sendto} each). {@code DatagramPacket}'s own fields are final, so the envelope is built
 * over a placeholder and overrides every accessor Netty reads ({@link #content()},
 * {@link #recipient()}, {@link #sender()}) and the reference counting with its mutable fields.
 * {@code copy}, {@code duplicate} and {@code replace} return plain {@code DatagramPacket}s.
 */
public final class OutboundDatagram extends DatagramPacket {

    /** What the final fields of the superclass hold; never sent, never released. */
    private static final InetSocketAddress PLACEHOLDER = InetSocketAddress.createUnresolved("placeholder", 9);

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
        super(Unpooled.EMPTY_BUFFER, PLACEHOLDER);
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
    public DatagramPacket copy() {
        return new DatagramPacket(content.copy(), recipient);
    }

    @Override
    public DatagramPacket duplicate() {
        return new DatagramPacket(content.duplicate(), recipient);
    }

    @Override
    public DatagramPacket retainedDuplicate() {
        return new DatagramPacket(content.retainedDuplicate(), recipient);
    }

    @Override
    public DatagramPacket replace(ByteBuf replacement) {
        return new DatagramPacket(replacement, recipient);
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

    /** Hands the content to the caller (who now owns it) and this envelope back to its pool. */
    ByteBuf takeContent() {
        ByteBuf c = content;
        content = null;
        recipient = null;
        handle.recycle(this);
        return c;
    }

    @Override
    public String toString() {
        return "OutboundDatagram(" + (content == null ? 0 : content.readableBytes()) + " B → " + recipient + ")";
    }
}
