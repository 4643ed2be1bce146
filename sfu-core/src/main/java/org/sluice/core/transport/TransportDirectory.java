package org.sluice.core.transport;

import io.netty.buffer.ByteBuf;
import org.sluice.core.net.MediaLoop;
import org.sluice.core.net.PacketClass;
import org.sluice.core.net.PacketPath;
import org.sluice.core.net.PacketReceiver;
import org.sluice.core.stun.StunMessage;
import org.sluice.core.stun.StunMessages;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Routes every packet the sockets read to its transport. A remote address is bound to a transport
 * by the ufrag of its first valid STUN check; after that, lookups are one hash probe in a map that
 * only the reading loop touches. Packets from addresses nobody bound are dropped and counted, except
 * STUN requests, which find their transport by ufrag.
 */
public final class TransportDirectory implements PacketReceiver {

    private final Map<String, MediaTransport> byUfrag = new ConcurrentHashMap<>();
    private final Map<MediaTransport, Boolean> live = new ConcurrentHashMap<>();
    private final TransportCounters counters = new TransportCounters();
    private List<MediaLoop> loops = List.of();
    /** Per loop index: UDP remote address → transport; touched only by that loop. */
    private Map<InetSocketAddress, MediaTransport>[] udpBindings;
    /** Per loop index: ICE-TCP connection → transport; touched only by that loop. */
    private Map<PacketPath, MediaTransport>[] tcpBindings;
    /** Per loop index: a STUN view for finding the ufrag of checks from unknown addresses. */
    private StunMessage[] stunViews;

    /** Sizes the per-loop tables; called once the sockets exist, before any packet arrives. */
    @SuppressWarnings("unchecked")
    public void useLoops(List<MediaLoop> mediaLoops) {
        this.loops = List.copyOf(mediaLoops);
        udpBindings = new Map[loops.size()];
        tcpBindings = new Map[loops.size()];
        stunViews = new StunMessage[loops.size()];
        for (int i = 0; i < loops.size(); i++) {
            stunViews[i] = new StunMessage();
            udpBindings[i] = new HashMap<>();
            tcpBindings[i] = new IdentityHashMap<>();
        }
    }

    public TransportCounters counters() {
        return counters;
    }

    /** Transports created and not yet closed. */
    public int size() {
        return live.size();
    }

    void register(MediaTransport transport, String localUfrag) {
        live.put(transport, Boolean.TRUE);
        byUfrag.put(localUfrag, transport);
        counters.transportsOpened.increment();
        if (!loops.isEmpty()) {
            transport.watchStart(loops.get(Math.floorMod(localUfrag.hashCode(), loops.size())));
        }
    }

    /** An ICE restart adds the new local ufrag; the old one keeps working until the transport ends. */
    void addUfrag(MediaTransport transport, String localUfrag) {
        byUfrag.put(localUfrag, transport);
    }

    @Override
    public void onPacket(ByteBuf packet, InetSocketAddress sender, PacketPath path) {
        MediaLoop loop = path.loop();
        MediaTransport transport = path.isTcp()
                ? tcpBindings[loop.index()].get(path)
                : udpBindings[loop.index()].get(sender);
        if (transport == null) {
            transport = byStunUfrag(packet, loop.index());
            if (transport == null) {
                packet.release();
                return;
            }
            transport.claim(loop);
        }
        MediaLoop owner = transport.loop();
        if (owner == null || owner == loop) {
            transport.onPacket(packet, sender, path);
        } else {
            MediaTransport target = transport;
            owner.eventLoop().execute(() -> target.onPacket(packet, sender, path));
        }
    }

    private MediaTransport byStunUfrag(ByteBuf packet, int loopIndex) {
        StunMessage view = stunViews[loopIndex];
        if (PacketClass.of(packet) != PacketClass.STUN || !view.wrap(packet)) {
            counters.unknownSender.increment();
            return null;
        }
        String ufrag = StunMessages.localUfrag(view);
        MediaTransport transport = ufrag == null ? null : byUfrag.get(ufrag);
        if (transport == null || transport.isClosed()) {
            counters.unknownSender.increment();
            return null;
        }
        return transport;
    }

    @Override
    public void onReadBatchComplete(MediaLoop loop) {
        // Sends are flushed by each loop once its queued work is done (MediaLoop.scheduleFlush).
    }

    /** Binds {@code sender} on {@code path} to {@code transport}; runs on the path's loop. */
    void bind(MediaTransport transport, InetSocketAddress sender, PacketPath path) {
        MediaLoop loop = path.loop();
        Runnable put = () -> {
            if (transport.isClosed()) {
                return;
            }
            if (path.isTcp()) {
                tcpBindings[loop.index()].put(path, transport);
            } else {
                udpBindings[loop.index()].put(sender, transport);
            }
        };
        if (loop.inLoop()) {
            put.run();
        } else {
            loop.eventLoop().execute(put);
        }
    }

    /** Forgets every binding of a closed transport. */
    void remove(MediaTransport transport) {
        live.remove(transport);
        byUfrag.values().removeIf(t -> t == transport);
        for (MediaLoop loop : loops) {
            Runnable purge = () -> {
                udpBindings[loop.index()].values().removeIf(t -> t == transport);
                tcpBindings[loop.index()].values().removeIf(t -> t == transport);
            };
            if (loop.inLoop()) {
                purge.run();
            } else {
                loop.eventLoop().execute(purge);
            }
        }
    }
}
